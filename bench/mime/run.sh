#!/bin/sh
# Parser benchmark: builds postdesk in release mode, parses a corpus repeatedly with it and with
# CPython's email package (policy=default + get_body() + attachment walk), and prints the ratio.
# Usage: bench/mime/run.sh [CORPUS_DIR] [SWIFT_ROUNDS] [PYTHON_ROUNDS]
set -eu
cd "$(dirname "$0")/../.."
dir=${1:-../shared/corpus}
[ -d "$dir" ] || dir=Fixtures/corpus
swift_rounds=${2:-50}
py_rounds=${3:-5}
swift build -c release --product postdesk >/dev/null
bin=$(swift build -c release --show-bin-path)/postdesk
s=$("$bin" parse --bench --rounds "$swift_rounds" "$dir")
p=$(python3 bench/mime/cpython_parse.py "$dir" "$py_rounds")
echo "$s"
echo "$p"
swift_rate=$(echo "$s" | sed -n 's/.* \([0-9.]*\) msgs\/s.*/\1/p')
py_rate=$(echo "$p" | sed -n 's/.* \([0-9.]*\) msgs\/s.*/\1/p')
python3 -c "print('ratio: swift is %.1fx CPython (msgs/s %s vs %s)' % ($swift_rate / $py_rate, '$swift_rate', '$py_rate'))"
