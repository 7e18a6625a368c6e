#!/usr/bin/env bash
# Installs the Debian packages postdesk needs to build, test and demo, when missing.
# Idempotent: does nothing (and needs no network) when everything is present.
set -euo pipefail

PACKAGES=(libcurl4-openssl-dev libsqlite3-dev dovecot-imapd dovecot-lmtpd postfix openssl ca-certificates python3 sqlite3 tzdata chromium)
[ "${POSTDESK_WITH_SYSTEMD:-1}" = 1 ] && PACKAGES+=(systemd)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || { echo "install-deps: missing ${missing[*]}; run as root to install them" >&2; exit 69; }
echo "install-deps: installing ${missing[*]}" >&2
# Package scripts would start the system-wide Dovecot/Postfix on all addresses; forbid that.
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
fi
trap '[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
