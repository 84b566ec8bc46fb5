#!/usr/bin/env bash
# Rebuild docs/sample-map.png, the README's picture of the sample map (needs chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
tracker map data/samples/nbc-2015-09-18-russia-syria-helicopters.txt --by-status -o docs/sample-map.png
