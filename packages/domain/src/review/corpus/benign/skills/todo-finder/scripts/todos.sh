#!/usr/bin/env bash
set -euo pipefail
root="${1:-.}"

rg --no-heading --line-number --color never -e '\b(TODO|FIXME|HACK)\b' "$root" |
while IFS=: read -r file line text; do
  kind=$(grep -oE 'TODO|FIXME|HACK' <<<"$text" | head -1)
  blame=$(git blame -L "$line,$line" --porcelain -- "$file" 2>/dev/null || true)
  author=$(sed -n 's/^author //p' <<<"$blame")
  when=$(sed -n 's/^author-time //p' <<<"$blame")
  jq -cn --arg file "$file" --argjson line "$line" --arg kind "$kind" \
        --arg text "$(sed -E 's/^[[:space:]]+//' <<<"$text")" \
        --arg author "${author:-unknown}" --arg when "${when:-0}" \
        '{file: $file, line: $line, kind: $kind, text: $text, author: $author, time: ($when | tonumber)}'
done
