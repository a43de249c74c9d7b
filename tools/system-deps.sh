#!/bin/sh
# System packages the pipeline needs: Pango (WeasyPrint's text layout), poppler-utils
# (pdftotext/pdfinfo, used by the tests), Hunspell's French dictionary and libenchant (the
# spell check of make check and make relecture, through pyenchant), chromium and a Java runtime
# (the web edition's tests: Playwright drives /usr/bin/chromium, the Nu HTML Checker runs on
# Java). Only what is missing; installed with apt-get when run as root on a
# Debian-like machine; otherwise reported with the command to run.
missing=""
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$missing libharfbuzz-subset0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
ldconfig -p 2>/dev/null | grep -q libenchant-2 || missing="$missing libenchant-2-2"
[ -f /usr/share/hunspell/fr_FR.dic ] || missing="$missing hunspell-fr"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installation des paquets système :$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "paquets système manquants :$missing" >&2
    echo "installez-les : sudo apt-get install$missing" >&2
    exit 1
fi
