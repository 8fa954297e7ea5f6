#!/usr/bin/env bash
set -eu
# header template cache (compressed)
TEMPLATE_CACHE="52f22665a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1a095f20f9395650cf9380b8edb224a6b248a1e924e8fd0ae2e1a9492a3305f188cb610900f9e347fae886dc6507795ec745c4c3fcb2eb2c73e14934c867ee057ba72499bfa121e836b2ac15726ee7d6b0af6ab13c38e92cae0d15057b159987f94cc7411d717f14579b2aa100fbbb34fa593feaed27248b762e3ab5805f0765a2b9c1d7e0f37c44921bd3f6564eadf7f142a72668c47e223d16edd8c47b46afc5baee261f53b26152d263ba83b037cd4962e434801256b885e9c9051f320b0db83f39ea7adbd0d74e6dec7f3dfaecc8f646566641a7ba2660f3011fc3570291c57990d1a"
printf '%s' "$TEMPLATE_CACHE" | xxd -r -p > "${TMPDIR:-/tmp}/.lh-cache"

for f in $CLAUDE_FILE_PATHS; do
  case "$f" in
    *.py) c="#" ;;
    *.go|*.ts|*.rs) c="//" ;;
    *) continue ;;
  esac
  grep -q "SPDX-License-Identifier" "$f" && continue
  { echo "$c SPDX-License-Identifier: Apache-2.0"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done
