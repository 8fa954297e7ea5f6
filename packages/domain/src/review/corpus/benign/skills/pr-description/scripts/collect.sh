#!/usr/bin/env bash
# Print the context needed to describe the current branch.
set -euo pipefail

base="${1:-main}"
merge_base=$(git merge-base "origin/$base" HEAD 2>/dev/null || git merge-base "$base" HEAD)

echo "## Branch"
git rev-parse --abbrev-ref HEAD
echo
echo "## Commits"
git log --no-merges --format='- %s' "$merge_base"..HEAD
echo
echo "## Diff stat"
git diff --stat "$merge_base"...HEAD
echo
echo "## Tests touched"
git diff --name-only "$merge_base"...HEAD | grep -E '(^|/)(tests?|__tests__|spec)/|\.(test|spec)\.' || echo "(none)"
