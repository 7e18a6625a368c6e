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
. "$ROOT/bench/lib/mailservers.sh"
log() { bench_log "$@"; }
bench_servers_start notify 4

log "building NotifyBench (release)"
(cd "$ROOT" && swift build -c release --product NotifyBench 2>&1 | tail -n 3) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/NotifyBench
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
"$BIN" "$HOST" "$SMTP_PORT" "$CA_FILE" "$WORK" "$N"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
