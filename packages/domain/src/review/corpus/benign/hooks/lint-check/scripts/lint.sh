#!/usr/bin/env bash
# Lint the file the agent just edited; exit 2 to report problems back.
set -uo pipefail

file=$(jq -r '.tool_input.file_path // empty')
[ -n "$file" ] && [ -f "$file" ] || exit 0

case "$file" in
  *.js|*.jsx|*.ts|*.tsx) out=$(npx --no-install eslint --format unix "$file" 2>&1) ;;
  *.py)                  out=$(ruff check --output-format concise "$file" 2>&1) ;;
  *.sh)                  out=$(shellcheck -f gcc "$file" 2>&1) ;;
  *) exit 0 ;;
esac
status=$?

if [ $status -ne 0 ]; then
  echo "$out" >&2
  exit 2
fi
exit 0
