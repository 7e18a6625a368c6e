#!/usr/bin/env bash
# postdesk demo: from a fresh clone, one command.
#   installs what is missing, builds, starts a throw-away Dovecot + Postfix on 127.0.0.1,
#   mails in what a support mailbox really gets (new requests, a reply, an attachment,
#   a vacation auto-reply, a bounce), runs the daemon until they are processed, lets an
#   agent answer by mail, prints what postdesk made of it, and stops everything again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo=${POSTDESK_DEMO_DIR:-/tmp/postdesk-demo}
export POSTDESK_IMAP_PORT=${POSTDESK_IMAP_PORT:-4143} POSTDESK_IMAPS_PORT=${POSTDESK_IMAPS_PORT:-4993}
export POSTDESK_SMTP_PORT=${POSTDESK_SMTP_PORT:-4025} POSTDESK_SUBMISSION_PORT=${POSTDESK_SUBMISSION_PORT:-4587}
export POSTDESK_LMTP_PORT=${POSTDESK_LMTP_PORT:-4024}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "installing missing packages (apt) and building postdesk"
POSTDESK_WITH_SYSTEMD=0 scripts/install-deps.sh
swift build 2>&1 | tail -n 1
pd="$root/.build/debug/postdesk"

step "starting Dovecot (IMAP) and Postfix (SMTP) on 127.0.0.1 under $demo"
scripts/mailservers.sh stop "$demo" >/dev/null 2>&1 || true
rm -rf "$demo"; mkdir -p "$demo"; chmod 755 "$demo"
scripts/mailservers.sh start "$demo" | sed 's/^/  /'
trap 'scripts/mailservers.sh stop "$demo" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
. "$demo/servers.env"

mkdir -p "$demo/state" "$demo/secrets"
printf '%s\n' "$PASSWORD" > "$demo/secrets/support"; chmod 600 "$demo/secrets/support"
cat > "$demo/config.json" <<JSON
{
  "database": "$demo/state/postdesk.db",
  "state_directory": "$demo/state",
  "poll_interval": 2,
  "mailboxes": [{
    "name": "support", "url": "imap://$HOST:$IMAP_PORT", "tls": "required", "ca_file": "$CA_FILE",
    "user": "support@$DOMAIN", "password_file": "$demo/secrets/support", "after_import": "move:Processed"
  }],
  "smtp": { "url": "smtp://$HOST:$SMTP_PORT", "tls": "required", "ca_file": "$CA_FILE", "from": "Example Support <support@$DOMAIN>" },
  "agents": [{ "email": "agent1@$DOMAIN", "name": "Alice Agent" }],
  "queues": [{ "name": "support", "address": "support@$DOMAIN" }]
}
JSON
export POSTDESK_CONFIG="$demo/config.json"
"$pd" check-config | sed 's/^/  /'

send() { python3 "$root/scripts/demo-mail.py" --port "$SMTP_PORT" --domain "$DOMAIN" --maildirs "$MAIL_ROOT" "$@"; }
inbox_count() { find "$MAIL_ROOT/support/Maildir/new" "$MAIL_ROOT/support/Maildir/cur" -type f 2>/dev/null | wc -l; }
wait_for() { for _ in $(seq 1 100); do [ "$(inbox_count)" -ge "$1" ] && return 0; sleep 0.1; done; echo "  (mail still in flight)"; }
received() { find "$MAIL_ROOT/$1/Maildir/new" "$MAIL_ROOT/$1/Maildir/cur" -type f 2>/dev/null | wc -l; }
wait_user() { for _ in $(seq 1 100); do [ "$(received "$1")" -ge "$2" ] && return 0; sleep 0.1; done; }
run_once() { "$pd" run --once 2>&1 | sed 's/^/  log: /'; }

step "customers write to support@$DOMAIN (through the real Postfix)"
send new-requests
wait_for 4
echo "  support's INBOX now holds $(inbox_count) messages"

step "postdesk run --once: every message becomes part of exactly one ticket"
run_once

step "a customer replies to her acknowledgement (tag in the subject only, like Outlook), and another's vacation responder answers"
wait_user customer1 1; wait_user customer2 1
send customer-reply
wait_for 1
run_once

step "the agent answers the printer ticket from her own mail client, with a #status command"
wait_user agent1 3
send agent-reply
wait_for 1
run_once

step "postdesk tickets"
"$pd" tickets | sed 's/^/  /'

printer=$("$pd" tickets --json | python3 -c 'import json,sys; print(next(t["number"] for t in json.load(sys.stdin) if t["subject"] == "Printer on fire"))')
step "postdesk show $printer"
"$pd" show "$printer" | sed 's/^/  /'

step "postdesk mailboxes"
"$pd" mailboxes | sed 's/^/  /'

step "postdesk quarantine list"
"$pd" quarantine list | sed 's/^/  /'

step "what customers received (their mailboxes on the demo server)"
for u in customer1 customer2 customer3; do
    dir="$MAIL_ROOT/$u/Maildir"
    n=$(find "$dir/new" "$dir/cur" -type f 2>/dev/null | wc -l)
    echo "  $u@$DOMAIN: $n message(s)"
    find "$dir/new" "$dir/cur" -type f 2>/dev/null | sort | while read -r f; do
        python3 -c 'import sys, email, email.policy; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print("    Subject: %s  (from %s)" % (m["subject"], m["from"]))' "$f"
    done
done

step "the agent's answer, as the customer reads it (the #status line is not shown to her)"
latest=$(find "$MAIL_ROOT/customer1/Maildir/new" "$MAIL_ROOT/customer1/Maildir/cur" -type f -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
python3 -c 'import sys, email, email.policy; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print("Subject: " + m["subject"]); print(m.get_body(("plain",)).get_content())' "$latest" | sed 's/^/  | /'

step "done; stopping the mail servers"
