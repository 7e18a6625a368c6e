#!/usr/bin/env bash
# The kill -9 test at any scale: starts the real `postdesk run` against the real Dovecot, kills it
# at random moments KILLS times (default 200; CI runs 20 inside scripts/test.sh), restarts it each
# time, and checks that every message is stored exactly once. Prints kills=K stored=N lost=0 duplicated=0.
#   scripts/kill-test.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests 2>&1 | tail -n 1
export POSTDESK_KILLS=${1:-200}
export POSTDESK_REQUIRE_MAILSERVERS=1
swift test --skip-build --filter 'ResilienceIntegrationTests/testKillNineAtRandomMomentsNeverLosesOrDuplicatesMail' 2>&1 \
    | grep -E "^kills=|error|Executed" | head -n 20
