#!/usr/bin/env bash
set -uo pipefail
mkdir -p .audit

if [ -f package-lock.json ]; then
  npm audit --json > .audit/npm.json
  jq -r '.vulnerabilities | to_entries[] | "\(.value.severity)\t\(.key)\t\(.value.range)"' .audit/npm.json | sort | uniq
fi

if ls requirements*.txt >/dev/null 2>&1 || [ -f pyproject.toml ]; then
  python -m pip_audit --format json --output .audit/pip.json || true
  jq -r '.dependencies[] | select(.vulns | length > 0) | "\(.name) \(.version): \([.vulns[].id] | join(", "))"' .audit/pip.json
fi

if [ -f go.mod ]; then
  go run golang.org/x/vuln/cmd/govulncheck@v1.1.3 -json ./... > .audit/go.json || true
  jq -r 'select(.finding != null) | .finding.osv' .audit/go.json | sort -u
fi
