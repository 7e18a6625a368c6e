#!/bin/sh
# Parser benchmark, one run, the same files for every parser:
#   postdesk parse --bench (release build): desk, full and lazy work (see `postdesk parse --help`);
#   Rust mailparse through PyPI's fast-mail-parser (in bench/mime/.venv): full and lazy modes;
#   CPython's email package (policy=default + get_body() + attachment walk).
# Prints MB/s (wall and CPU) for each, and our ratio to mailparse on like work (CPU figures: the
# machine is shared, and CPU time is the steadier measure; wall ratios are printed beside them).
# Usage: bench/mime/run.sh [CORPUS_DIR] [SWIFT_ROUNDS] [PYTHON_ROUNDS]
#   POSTDESK_BIN=path  use this postdesk binary instead of building one (e.g. a before/after pair)
set -eu
cd "$(dirname "$0")/../.."
dir=${1:-../shared/corpus}
[ -d "$dir" ] || dir=Fixtures/corpus
swift_rounds=${2:-50}
py_rounds=${3:-5}
if [ -n "${POSTDESK_BIN:-}" ]; then
    bin=$POSTDESK_BIN
else
    swift build -c release --product postdesk >/dev/null
    bin=$(swift build -c release --show-bin-path)/postdesk
fi

venv=bench/mime/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import fast_mail_parser' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'fast-mail-parser==0.10.0' || echo "mailparse: could not install fast-mail-parser into $venv" >&2
fi

echo "# $(uptime)"
echo "# $bin parse --bench --rounds $swift_rounds $dir"
s=$("$bin" parse --bench --rounds "$swift_rounds" "$dir")
echo "$s"
m=""
if "$venv/bin/python" -c 'import fast_mail_parser' 2>/dev/null; then
    m=$("$venv/bin/python" bench/mime/mailparse_parse.py "$dir" "$swift_rounds" full
        "$venv/bin/python" bench/mime/mailparse_parse.py "$dir" "$swift_rounds" lazy)
    echo "$m"
fi
p=$(python3 bench/mime/cpython_parse.py "$dir" "$py_rounds")
echo "$p"
echo "# $(uptime)"
printf '%s\n%s\n%s\n' "$s" "$m" "$p" | python3 -c '
import re, sys
rates = {}
for line in sys.stdin:
    g = re.match(r"([a-z-]+): .* ([0-9.]+) MB/s, [0-9]+ msgs/s, cpu ([0-9.]+) MB/s", line)
    if g: rates[g.group(1)] = (float(g.group(2)), float(g.group(3)))
def ratio(a, b, what):
    if a in rates and b in rates:
        print("ratio %s: %s/%s = %.0f %% (cpu), %.0f %% (wall)" % (what, a, b,
              100 * rates[a][1] / rates[b][1], 100 * rates[a][0] / rates[b][0]))
ratio("swift-full", "mailparse-full", "to mailparse, everything decoded")
ratio("swift-lazy", "mailparse-lazy", "to mailparse, attachments left encoded")
ratio("swift-desk", "cpython", "to CPython email, desk work")
'
