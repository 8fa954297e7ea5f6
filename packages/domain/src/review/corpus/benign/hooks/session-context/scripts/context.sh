#!/usr/bin/env bash
set -uo pipefail
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0

echo "## Repository context"
echo "Branch: $(git rev-parse --abbrev-ref HEAD)"
echo
echo "Recent commits:"
git log -5 --format='- %h %s (%cr)'
echo
echo "Uncommitted changes:"
git status --short | head -30
changed=$(git diff --name-only HEAD | head -20)
if [ -n "$changed" ]; then
  echo
  echo "TODOs in changed files:"
  echo "$changed" | xargs -r rg -n --no-heading 'TODO|FIXME' 2>/dev/null | head -10
fi
