#!/usr/bin/env bash
set -euo pipefail
level="${1:?patch|minor|major}"
case "$level" in patch|minor|major) ;; *) echo "bad level: $level" >&2; exit 2 ;; esac

[ "$(git rev-parse --abbrev-ref HEAD)" = "main" ] || { echo "not on main" >&2; exit 1; }
[ -z "$(git status --porcelain)" ] || { echo "working tree not clean" >&2; exit 1; }

new=$(npm version "$level" --no-git-tag-version)
git add package.json package-lock.json
git commit -m "release: ${new}"
git tag -a "$new" -m "$new"
echo "$new"
