#!/usr/bin/env bash
# Outbox throughput (issue 14): N queued notifications through a real local Postfix in one
# flush over one kept-open SMTP connection (STARTTLS), against a new connection per mail.
# Prints mails/s and connections opened.
#
#   sudo bench/notify/run.sh          # N = 1000
#   sudo bench/notify/run.sh 5000
#
# Starts its own Dovecot and Postfix (scripts/mailservers.sh) on the bench ports.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-1000}
log() { echo "run.sh: $*" >&2; }

WORK=$(mktemp -d /tmp/postdesk-notify.XXXXXX)
chmod 755 "$WORK"
cleanup() {
    "$ROOT/scripts/mailservers.sh" stop "$WORK/servers" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export POSTDESK_IMAP_PORT=${POSTDESK_IMAP_PORT:-4143} POSTDESK_IMAPS_PORT=${POSTDESK_IMAPS_PORT:-4993}
export POSTDESK_SMTP_PORT=${POSTDESK_SMTP_PORT:-4025} POSTDESK_SUBMISSION_PORT=${POSTDESK_SUBMISSION_PORT:-4587}
export POSTDESK_LMTP_PORT=${POSTDESK_LMTP_PORT:-4024} POSTDESK_SMTPS_PORT=${POSTDESK_SMTPS_PORT:-4465}
log "starting Dovecot and Postfix in $WORK/servers"
"$ROOT/scripts/mailservers.sh" start "$WORK/servers" >"$WORK/mailservers.log" 2>&1 \
    || { cat "$WORK/mailservers.log" >&2; exit 69; }
# shellcheck disable=SC1091
. "$WORK/servers/servers.env"

log "building NotifyBench (release)"
(cd "$ROOT" && swift build -c release --product NotifyBench 2>&1 | tail -n 3) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/NotifyBench
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
"$BIN" "$HOST" "$SMTP_PORT" "$CA_FILE" "$WORK" "$N"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
