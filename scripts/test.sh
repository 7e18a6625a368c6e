#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   installs missing apt packages, builds, starts a real Dovecot + Postfix on 127.0.0.1
#   (scripts/mailservers.sh), runs every unit and integration test against them,
#   then builds, installs and removes the .deb, and checks the systemd unit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh

echo "== build"
start=$(date +%s)
swift build --build-tests 2>&1 | tail -n 3
echo "build: $(( $(date +%s) - start ))s"

mail_dir=$(mktemp -d /tmp/postdesk-mail.XXXXXX)
chmod 755 "$mail_dir"
cleanup() { scripts/mailservers.sh stop "$mail_dir" >/dev/null 2>&1 || true; rm -rf "$mail_dir"; }
trap cleanup EXIT
scripts/mailservers.sh start "$mail_dir"

export POSTDESK_MAILSERVERS_DIR="$mail_dir"
export POSTDESK_REQUIRE_MAILSERVERS=1
export POSTDESK_BIN="$root/.build/debug/postdesk"

echo "== swift test"
start=$(date +%s)
set +e
swift test > /tmp/postdesk-swift-test.log 2>&1
rc=$?
set -e
# Figures the tests print (benchmarks-in-tests are not timed assertions, only reports).
grep -E "^(kills=|fuzz:|corpus:|figure:)" /tmp/postdesk-swift-test.log || true
grep -E "error:|failed \(|skipped" /tmp/postdesk-swift-test.log | head -40 || true
tail -n 8 /tmp/postdesk-swift-test.log
echo "swift test: $(( $(date +%s) - start ))s, exit $rc"
[ "$rc" -eq 0 ] || { grep -E "error|failed" /tmp/postdesk-swift-test.log | head -50; exit "$rc"; }

if [ -x scripts/check-unit.sh ]; then echo "== systemd unit"; scripts/check-unit.sh; fi
if [ -x scripts/test-deb.sh ]; then echo "== .deb"; scripts/test-deb.sh; fi
echo "all tests passed"
