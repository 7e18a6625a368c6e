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
. "$ROOT/bench/lib/mailservers.sh"
log() { bench_log "$@"; }
bench_servers_start reconcile

printf '%s\n' "$PASSWORD" >"$WORK/password"

log "building ReconcileBench (release)"
(cd "$ROOT" && swift build -c release --product ReconcileBench 2>&1 | tail -n 3) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/ReconcileBench
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
"$BIN" "$HOST" "$IMAP_PORT" "support@$DOMAIN" "$WORK/password" "$CA_FILE" "$N" "$REPEAT"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
