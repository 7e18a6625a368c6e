#!/usr/bin/env bash
# Checks deploy/postdesk.service: `systemd-analyze verify` must pass and the
# `systemd-analyze security` exposure must stay at or below $MAX_EXPOSURE (default 2.0).
# Skips with a message when systemd-analyze is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=${1:-deploy/postdesk.service}
max=${MAX_EXPOSURE:-2.0}

if ! command -v systemd-analyze >/dev/null; then
    echo "check-unit: SKIPPED: systemd-analyze not installed (apt-get install systemd)"
    exit 0
fi

# verify also checks that ExecStart's binary and the man page exist. Before the .deb is installed
# they do not, and exactly those complaints are expected; anything else fails.
out=$(systemd-analyze verify "$unit" 2>&1 || true)
if [ ! -x /usr/bin/postdesk ]; then
    out=$(printf '%s\n' "$out" | grep -v -e 'Command /usr/bin/postdesk is not executable' \
                                        -e "Command 'man postdesk(1)' failed" || true)
fi
if [ -n "$out" ]; then
    echo "check-unit: systemd-analyze verify $unit:"; printf '%s\n' "$out"; exit 1
fi
echo "check-unit: systemd-analyze verify: ok"

if ! systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
    echo "check-unit: security: SKIPPED (this systemd-analyze has no --offline)"; exit 0
fi
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | awk '/Overall exposure level/ {print $(NF-2)}')
echo "check-unit: systemd-analyze security exposure: $exposure (limit $max)"
awk -v e="$exposure" -v m="$max" 'BEGIN { exit !(e != "" && e + 0 <= m + 0) }' || {
    echo "check-unit: exposure $exposure is above $max"; exit 1; }
