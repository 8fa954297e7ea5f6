#!/usr/bin/env bash
set -euo pipefail
cd "$(git rev-parse --show-toplevel)/tools"

version=$(cat protoc.version)
archive="protoc-${version}-linux-x86_64.zip"

curl -fsSL -o "$archive" "https://github.com/protocolbuffers/protobuf/releases/download/v${version}/${archive}"
sha256sum -c protoc.sha256
rm -rf ./protoc
unzip -q "$archive" -d ./protoc
rm -f "$archive"
echo "protoc ${version} unpacked in tools/protoc"
