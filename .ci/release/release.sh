#!/usr/bin/env bash
# Builds a release into dist/: binaries for linux, darwin and windows ×
# amd64 and arm64 (goreleaser, CGO_ENABLED=0, the version stamped into
# main.version), their archives and checksums.txt, one MCP bundle (.mcpb)
# per OS and architecture, and the MCP Registry's server.json with each
# bundle's SHA-256. Publishing is a separate, manual step (docs/development.md).
#
#   .ci/release/release.sh                             # a release, from a tag vX.Y.Z on a clean tree
#   .ci/release/release.sh --snapshot                  # any commit; version X.Y.Z-snapshot
#   .ci/release/release.sh --snapshot --single-target  # this machine's target only (CI)
#
# goreleaser is pinned in .ci/release/go.mod, outside the server's go.mod;
# the bundle CLI in .ci/mcpb/package-lock.json. The CLI runs on the Node on
# PATH, which must be 22 or later (CI's is the one .ci/conformance pins).
set -euo pipefail
cd "$(dirname "$0")/../.."

snapshot="" single=""
for arg in "$@"; do
  case "$arg" in
    --snapshot) snapshot=--snapshot ;;
    --single-target) single=--single-target ;;
    *) echo "release.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)
if [ -z "$node_major" ] || [ "$node_major" -lt 22 ]; then
  echo "release.sh: the MCP bundle CLI needs Node 22 or later on PATH; found $(node --version 2>/dev/null || echo no node)" >&2
  exit 1
fi

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
go -C .ci/release build -o "$tools/goreleaser" github.com/goreleaser/goreleaser/v2
"$tools/goreleaser" check
if [ -n "$single" ]; then
  # Only this machine's binary: no archives, no checksums.
  "$tools/goreleaser" build --clean $snapshot --single-target
else
  "$tools/goreleaser" release --clean $snapshot
fi

(cd .ci/mcpb && npm ci --no-audit --no-fund --loglevel=error)
PATH="$PWD/.ci/mcpb/node_modules/.bin:$PATH" node .ci/mcpb/bundle.mjs dist
