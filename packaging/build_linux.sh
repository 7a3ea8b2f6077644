#!/usr/bin/env bash
# Build the Linux one-folder bundle (dist/anran/) from a checkout and run its self-test.
#   bash packaging/build_linux.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/anran.sh setup
.venv/bin/python packaging/build.py "$@"
QT_QPA_PLATFORM=offscreen dist/anran/anran --self-test
