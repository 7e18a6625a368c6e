#!/usr/bin/env bash
# What the per-poll reconciliation (issue 11: the deliveries table, not the cursor, is the
# truth) costs with N messages in the folder, against a poll with nothing new.
#
#   sudo bench/reconcile/run.sh            # N = 100000, median of 7
#   sudo bench/reconcile/run.sh 10000 5    # N, repeats
#
# Starts its own Dovecot (scripts/mailservers.sh, ports 3143/3993/3025/3587/3024 like the
# intake bench), builds ReconcileBench in release mode and prints a table and a `figure:` line.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-100000}
REPEAT=${2:-7}
log() { echo "run.sh: $*" >&2; }

WORK=$(mktemp -d /tmp/postdesk-reconcile.XXXXXX)
chmod 755 "$WORK"
cleanup() {
    "$ROOT/scripts/mailservers.sh" stop "$WORK/servers" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export POSTDESK_IMAP_PORT=${POSTDESK_IMAP_PORT:-3143} POSTDESK_IMAPS_PORT=${POSTDESK_IMAPS_PORT:-3993}
export POSTDESK_SMTP_PORT=${POSTDESK_SMTP_PORT:-3025} POSTDESK_SUBMISSION_PORT=${POSTDESK_SUBMISSION_PORT:-3587}
export POSTDESK_LMTP_PORT=${POSTDESK_LMTP_PORT:-3024} POSTDESK_SMTPS_PORT=${POSTDESK_SMTPS_PORT:-3465}
log "starting Dovecot and Postfix in $WORK/servers"
"$ROOT/scripts/mailservers.sh" start "$WORK/servers" >"$WORK/mailservers.log" 2>&1 \
    || { cat "$WORK/mailservers.log" >&2; exit 69; }
# shellcheck disable=SC1091
. "$WORK/servers/servers.env"
printf '%s\n' "$PASSWORD" >"$WORK/password"

log "building ReconcileBench (release)"
(cd "$ROOT" && swift build -c release --product ReconcileBench 2>&1 | tail -n 3) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/ReconcileBench
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
"$BIN" "$HOST" "$IMAP_PORT" "support@$DOMAIN" "$WORK/password" "$CA_FILE" "$N" "$REPEAT"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
