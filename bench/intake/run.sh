#!/usr/bin/env bash
# run.sh: postdesk's IMAP intake benchmark against a raw download and django-helpdesk 2.6.1.
#
# Usage: bench/intake/run.sh [options] [N ...]          (default N: 1000 10000; 0: none, e.g.
#        with --big-message alone)
#
#   --django-max M    give django-helpdesk only the first M messages of each mailbox (it takes
#                     ~30 ms a message, so 10 000 cost minutes); 0 skips it; default: all
#   --no-django       same as --django-max 0 (no venv, no pip)
#   --repeat R        postdesk runs per N, best reported (default 1)
#   --raw-repeat R    raw downloads per client, median reported (default 3)
#   --tls MODE        starttls (default; django-helpdesk always tries STARTTLS), none or imaps
#   --profile         one more postdesk run per N under `perf record`; report in the work dir
#   --keep            keep the work dir (servers stopped anyway)
#   --seed S          generator seed (default 1)
#   --rules N         also run postdesk with N generated routing rules (bench/rules/gen_rules.py)
#   --software-sha    also run postdesk with POSTDESK_SHA256=software (Swift SHA-256, not the CPU's)
#   --idle-latency K  then K single messages through Postfix to a running postdesk (IDLE,
#                     poll_interval 300): delivery-to-stored latency p50/p99 beside the servers' own
#   --big-message MB  then one message of about MB megabytes through `run --once`: peak RSS
#   --binary PATH     run this postdesk binary; nothing is built (raw-swift then uses an
#                     IntakeRawFetch beside PATH or in .build/release when there is one)
#   --compare OLD     A/B: also run the binary OLD, interleaved with the new one (OLD, new, new,
#                     OLD, ... one pair per round, --repeat rounds, default 3 here), on the same
#                     servers and mail; medians and the new/old ratios of wall and CPU time
#
# Needs root (Dovecot and Postfix switch users; apt-get for /usr/bin/time when missing).
# Starts its own servers from scripts/mailservers.sh on ports 3143/3993/3025/3587/3024 in a
# temporary directory and stops them on exit; builds postdesk with `swift build -c release`;
# puts django-helpdesk 2.6.1 into bench/.venv (pip). Results: bench/out/intake-<time>.json.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DJANGO_MAX=-1 REPEAT="" RAW_REPEAT=3 TLS=starttls PROFILE="" KEEP=0 SEED=1 RULES=0 BINARY="" COMPARE=""
COUNTS=()
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --django-max) DJANGO_MAX=$2; shift 2 ;;
        --no-django) DJANGO_MAX=0; shift ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --raw-repeat) RAW_REPEAT=$2; shift 2 ;;
        --tls) TLS=$2; shift 2 ;;
        --profile) PROFILE=--profile; KEEP=1; shift ;;
        --keep) KEEP=1; shift ;;
        --seed) SEED=$2; shift 2 ;;
        --rules) RULES=$2; shift 2 ;;
        --software-sha) EXTRA+=(--software-sha); shift ;;
        --idle-latency) EXTRA+=(--idle-latency "$2"); shift 2 ;;
        --big-message) EXTRA+=(--big-message "$2"); shift 2 ;;
        --binary) BINARY=$2; shift 2 ;;
        --compare) COMPARE=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
        *) COUNTS+=("$1"); shift ;;
    esac
done
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1000 10000)
# An A/B needs several rounds to say anything on a shared machine.
[ -n "$REPEAT" ] || { [ -n "$COMPARE" ] && REPEAT=3 || REPEAT=1; }
for b in "$BINARY" "$COMPARE"; do
    [ -z "$b" ] || [ -x "$b" ] || { echo "run.sh: no executable at $b" >&2; exit 66; }
done
# Absolute paths: bench.py runs them from other directories.
[ -z "$BINARY" ] || BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
[ -z "$COMPARE" ] || COMPARE=$(cd "$(dirname "$COMPARE")" && pwd)/$(basename "$COMPARE")

. "$ROOT/bench/lib/mailservers.sh"
log() { bench_log "$@"; }

[ -x /usr/bin/time ] || { log "installing GNU time"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null; }
command -v python3 >/dev/null || { log "python3 is required"; exit 69; }

BENCH_KEEP=$KEEP
bench_servers_start bench

RAW_FETCH=""
if [ -n "$BINARY" ]; then
    # A given binary: nothing is built (the lead repeats an A/B from a clean clone with one command).
    BIN=$BINARY
    for candidate in "$(dirname "$BINARY")/IntakeRawFetch" "$ROOT/.build/release/IntakeRawFetch"; do
        if [ -x "$candidate" ]; then RAW_FETCH=$candidate; break; fi
    done
    [ -n "$RAW_FETCH" ] || log "no IntakeRawFetch beside $BINARY or in .build/release: no Swift raw baseline"
else
    log "building postdesk and postdesk's raw-download baseline (release)"
    (cd "$ROOT" && swift build -c release --product postdesk 2>&1 | tail -n 3) >&2
    BIN_DIR=$(cd "$ROOT" && swift build -c release --show-bin-path)
    BIN=$BIN_DIR/postdesk
    [ -x "$BIN" ] || { log "no postdesk binary at $BIN"; exit 70; }
    if (cd "$ROOT" && swift build -c release --product IntakeRawFetch 2>&1 | tail -n 3) >&2 \
            && [ -x "$BIN_DIR/IntakeRawFetch" ]; then
        RAW_FETCH=$BIN_DIR/IntakeRawFetch
    else
        log "IntakeRawFetch did not build: no Swift raw baseline"
    fi
fi
# The Swift transport's raw download (bench/intake/RawFetch): reported beside the Python ones.
SWIFT_RAW=()
[ -z "$RAW_FETCH" ] || SWIFT_RAW=(--swift-raw "$RAW_FETCH {host} {port} {user} {password_file} --tls {tls} --ca-file {ca_file} --folder {folder}")
COMPARE_ARGS=()
[ -z "$COMPARE" ] || COMPARE_ARGS=(--compare "$COMPARE")

DJANGO=()
if [ "$DJANGO_MAX" != 0 ]; then
    VENV="$ROOT/bench/.venv"
    if ! "$VENV/bin/python" -c 'import helpdesk, django' 2>/dev/null; then
        log "installing django-helpdesk 2.6.1 into bench/.venv"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q 'django-helpdesk==2.6.1' >&2
    fi
    DJANGO=(--django-python "$VENV/bin/python" --django-max "$DJANGO_MAX")
fi

mkdir -p "$ROOT/bench/out"
OUT="$ROOT/bench/out/intake-$(date -u +%Y%m%dT%H%M%SZ).json"
log "postdesk: $BIN${COMPARE:+ against $COMPARE}"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
python3 "$HERE/bench.py" "${COUNTS[@]}" --servers-env "$WORK/servers/servers.env" --workdir "$WORK" \
    --postdesk "$BIN" "${COMPARE_ARGS[@]}" "${SWIFT_RAW[@]}" "${DJANGO[@]}" --repeat "$REPEAT" --raw-repeat "$RAW_REPEAT" \
    --tls "$TLS" --seed "$SEED" --rules "$RULES" $PROFILE --json-out "$OUT" "${EXTRA[@]}"
log "results: $OUT; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
