#!/bin/bash
# Compares the machine code of the functions whose mangled names match PATTERN in two postdesk
# binaries (release builds from before and after a refactor). Addresses, RIP-relative offsets and
# the per-file discriminators of private names are dropped, so identical code compares equal.
# Exit 0 and "identical" when it is; else the diff. Needs nm and objdump (binutils).
#   bench/codegen/compare.sh before/postdesk after/postdesk '4MIME9Reply(Scan|Text)'
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY PATTERN" >&2; exit 64; }
dump() {
    for sym in $(nm "$1" | grep -E "$2" | awk '$2 ~ /^[tT]$/ {print $3}' | sort); do
        objdump -d --no-addresses --no-show-raw-insn --disassemble="$sym" "$1" | sed -n '/>:$/,$p'
    done | sed -E 's/[0-9a-f]+ <([^>]*)>/<\1>/g; s/[0-9]+_[0-9A-F]{32}LL//g; s/c[0-9]+_[0-9A-F]{32}Ll/c/g;
                  s/0x[0-9a-f]+\(%rip\)/REL(%rip)/g; s/\+0x[0-9a-f]+>/+OFF>/g'
}
before=$(mktemp) after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
dump "$1" "$3" > "$before"
dump "$2" "$3" > "$after"
echo "$(grep -c '>:$' "$before") functions before, $(grep -c '>:$' "$after") after, $(wc -l < "$after") lines"
if diff "$before" "$after"; then echo identical; fi
