#!/usr/bin/env bash
# run.sh: the routing rules' cost per message (issue 13's target: <= 20 us for 200 rules).
#
# Usage: bench/rules/run.sh [--rounds R] [--corpus DIR] [N ...]      (default N: 50 200)
#
# Builds postdesk (release), generates an N-rule config with gen_rules.py for each N, and runs
# `postdesk rules bench` over the corpus (../shared/corpus, else Fixtures/corpus): microseconds per
# message with those rules beside no rules, in the same run. Messages are parsed before timing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS=200 CORPUS="" COUNTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
        *) COUNTS+=("$1"); shift ;;
    esac
done
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(50 200)
if [ -z "$CORPUS" ]; then
    CORPUS="$ROOT/../shared/corpus"; [ -d "$CORPUS" ] || CORPUS="$ROOT/Fixtures/corpus"
fi
(cd "$ROOT" && swift build -c release --product postdesk 2>&1 | tail -n 1) >&2
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/postdesk
WORK=$(mktemp -d /tmp/postdesk-rules-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for n in "${COUNTS[@]}"; do
    python3 "$HERE/gen_rules.py" "$n" > "$WORK/config-$n.json"
    "$BIN" --config "$WORK/config-$n.json" rules bench "$CORPUS" --rounds "$ROUNDS"
done
