#!/usr/bin/env bash
# One entry point for a fresh Debian machine with Python 3.11:
#   bash scripts/anran.sh app    set everything up, then open the desktop application on the demo site
#                                (no display: runs it offscreen with the live feed, saves out/main-window.png)
#   bash scripts/anran.sh test   set everything up, then run the whole test suite
#   bash scripts/anran.sh demo   set everything up, then run the end-to-end 附录 A demo (`anran demo`)
#   bash scripts/anran.sh setup  only set up
# Anything else is passed to the `anran` CLI inside the project's virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

# System libraries Qt (offscreen and xcb), OpenCV and the PDF checks need, installed when missing.
APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libsm6 libxext6 poppler-utils mosquitto postgresql)

setup_system() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo ">> installing system packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  local stamp="$VENV/.anran-setup-stamp"
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo ">> creating the virtual environment and installing packages (first run takes a few minutes)"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[dev,bench,packaging]"
  echo "$want" > "$stamp"
}

setup() {
  setup_system
  setup_python
}

cmd=${1:-app}
shift || true
case "$cmd" in
  setup) setup ;;
  test)
    setup
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/python" -m pytest "$@"
    ;;
  demo)
    setup
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    "$VENV/bin/anran" demo --out "${ANRAN_DEMO_OUT:-out/demo}" "$@"
    ;;
  app)
    setup
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "xcb" ]; then
      mkdir -p out
      echo ">> no display: running the app offscreen on the demo site for a few seconds"
      QT_QPA_PLATFORM=offscreen "$VENV/bin/anran" app --db out/anran-demo.sqlite3 \
        --screenshot out/main-window.png --screenshot-delay 8 "$@"
    else
      "$VENV/bin/anran" app --demo-site "$@"
    fi
    ;;
  *)
    setup
    "$VENV/bin/anran" "$cmd" "$@"
    ;;
esac
