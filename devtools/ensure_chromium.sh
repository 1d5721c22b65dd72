#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de Chromium (paquet Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "Chromium est introuvable ($CHROMIUM). Installez-le : sudo apt-get install chromium" >&2
echo "ou indiquez son chemin dans CHROMIUM_PATH." >&2
exit 1
