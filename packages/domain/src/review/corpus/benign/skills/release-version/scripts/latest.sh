#!/usr/bin/env bash
set -euo pipefail
repo="${1:?usage: latest.sh owner/repo}"
auth=()
if [ -n "${GITHUB_TOKEN:-}" ]; then
  auth=(-H "Authorization: Bearer ${GITHUB_TOKEN}")
fi
curl -fsSL "${auth[@]}" "https://api.github.com/repos/${repo}/releases/latest" | jq -r .tag_name
