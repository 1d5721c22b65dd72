#!/bin/sh
# Create the virtual environment VENV with PYTHON: sh devtools/ensure_venv.sh PYTHON VENV
# A minimal Debian or Ubuntu lacks ensurepip, so `python3 -m venv` fails until the venv package for that Python
# (python3.X-venv, or python3-venv) is installed: through apt-get when running as root, as for Chromium.
PYTHON="$1"
VENV="$2"
# A failed attempt leaves a folder with a python but no pip: start from scratch.
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" 2>/dev/null && exit 0
rm -rf "$VENV"
PACKAGE="$("$PYTHON" -c 'import sys; print("python3.%d-venv" % sys.version_info.minor)')"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de $PACKAGE (paquet Debian, nécessaire à « $PYTHON -m venv »)…"
  apt-get update -qq \
    && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PACKAGE" >/dev/null \
         || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; } \
    && "$PYTHON" -m venv "$VENV" && exit 0
  rm -rf "$VENV"
fi
echo "Impossible de créer $VENV avec $PYTHON : le module venv manque." >&2
echo "Sous Debian ou Ubuntu, installez-le puis relancez : sudo apt-get install $PACKAGE" >&2
exit 1
