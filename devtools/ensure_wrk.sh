#!/bin/sh
# The benchmark drives the server with wrk (Debian package): it costs far less CPU than the server it loads.
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation de wrk (paquet Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null && exit 0
fi
echo "wrk est introuvable. Installez-le : sudo apt-get install wrk" >&2
exit 1
