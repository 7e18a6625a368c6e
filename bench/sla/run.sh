#!/usr/bin/env bash
# The SLA scheduler's tick on a store of N open tickets (default 100000) with D alerts due
# (default 100): ms per tick against re-evaluating every ticket, same run. Release build.
#   bench/sla/run.sh [N] [D]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$ROOT" && swift build -c release --product SLATickBench 2>&1 | tail -n 3) >&2
"$(cd "$ROOT" && swift build -c release --show-bin-path)/SLATickBench" "${1:-100000}" "${2:-100}"
