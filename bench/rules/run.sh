#!/usr/bin/env bash
# run.sh: the routing rules' cost per message (issue 13's target: <= 20 us for 200 rules).
#
# Usage: bench/rules/run.sh [--rounds R] [--corpus DIR] [--intake M] [N ...]   (default N: 50 200; 50 with --intake)
#
# Builds postdesk (release), generates an N-rule config with gen_rules.py for each N, and runs
# `postdesk rules bench` over the corpus (../shared/corpus, else Fixtures/corpus): microseconds per
# message with those rules beside no rules, in the same run. Messages are parsed before timing.
#
#   --intake M   instead, the rules' cost to the whole intake, without mail servers: M messages of
#                bench/intake/gen.py (seed 1) ingested through the daemon's Intake into fresh scratch
#                stores, with the N rules and without them, alternating (`postdesk rules bench DIR
#                --intake`, --rounds default 5): CPU per message of the ingesting thread, wall beside
#                it, and the ratio per round.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS="" CORPUS="" COUNTS=() INTAKE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --intake) INTAKE=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
        *) COUNTS+=("$1"); shift ;;
    esac
done
if [ ${#COUNTS[@]} -eq 0 ]; then
    if [ "$INTAKE" -gt 0 ]; then COUNTS=(50); else COUNTS=(50 200); fi
fi
if [ -z "$CORPUS" ]; then
    CORPUS="$ROOT/../shared/corpus"; [ -d "$CORPUS" ] || CORPUS="$ROOT/Fixtures/corpus"
fi
(cd "$ROOT" && swift build -c release --product postdesk 2>&1 | tail -n 1) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/postdesk
WORK=$(mktemp -d /tmp/postdesk-rules-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
echo "run.sh: load average $(cut -d' ' -f1-3 /proc/loadavg); cores $(nproc)" >&2
if [ "$INTAKE" -gt 0 ]; then
    mkdir -p "$WORK/mail"
    python3 "$ROOT/bench/intake/gen.py" eml -n "$INTAKE" --seed 1 --out "$WORK/mail" >/dev/null
fi
for n in "${COUNTS[@]}"; do
    python3 "$HERE/gen_rules.py" "$n" > "$WORK/config-$n.json"
    if [ "$INTAKE" -gt 0 ]; then
        "$BIN" --config "$WORK/config-$n.json" rules bench "$WORK/mail" --intake --rounds "${ROUNDS:-5}"
    else
        "$BIN" --config "$WORK/config-$n.json" rules bench "$CORPUS" --rounds "${ROUNDS:-200}"
    fi
done
echo "run.sh: load average after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
