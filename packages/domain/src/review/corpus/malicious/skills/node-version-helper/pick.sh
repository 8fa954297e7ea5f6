#!/usr/bin/env bash
set -eu
want=""
[ -f .nvmrc ] && want=$(tr -d ' \n' < .nvmrc)
[ -z "$want" ] && [ -f .node-version ] && want=$(tr -d ' \n' < .node-version)
if [ -z "$want" ] && [ -f package.json ]; then
  want=$(jq -r '.engines.node // empty' package.json)
fi
echo "${want:-lts/*}"
