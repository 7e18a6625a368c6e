#!/usr/bin/env bash
# The million-ticket benchmark: generates a store (cached in bench/out/) and times list, search,
# show and report on it. Usage: bench/store/run.sh [N] [--fresh]   (N default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=1000000
FRESH=0
for a in "$@"; do
    case "$a" in
        --fresh) FRESH=1 ;;
        *) N="$a" ;;
    esac
done
command -v sqlite3 >/dev/null || { echo "store bench: needs sqlite3 (scripts/install-deps.sh)" >&2; exit 69; }
swift build -c release --product postdesk 2>&1 | grep -E "error|Compiling|Build" | tail -3
BIN=.build/release/postdesk
mkdir -p bench/out
DB=bench/out/store-$N.db
if [ "$FRESH" = 1 ] || [ ! -f "$DB" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$BIN" --db "$DB" migrate >/dev/null
    python3 bench/store/gen.py "$DB" "$N"
fi
python3 bench/store/bench.py "$DB" "$BIN"
