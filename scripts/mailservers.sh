#!/usr/bin/env bash
# mailservers.sh: real Dovecot (IMAP, LMTP) and Postfix (SMTP) on 127.0.0.1 for postdesk's
# tests and demo, confined to one throwaway directory. The system-wide services are never
# started or touched; nothing listens beyond loopback and no mail ever leaves the machine.
#
# Usage: scripts/mailservers.sh start|stop|restart|status|install|env DIR
#
#   install  apt-get install dovecot-imapd dovecot-lmtpd postfix when missing (root)
#   start    write configs under DIR and start both servers (root); a running, healthy
#            instance in DIR is left alone, a half-running one is restarted
#   stop     stop both servers of DIR (stop-smtp / start-smtp: Postfix alone)
#   status   exit 0 only when both run; prints ports, users and the CA file
#   env      print DIR/servers.env (shell KEY=VALUE lines that describe the instance)
#
# Users (domain example.test, one password): support agent1 agent2 customer1 customer2
# customer3 catchall postmaster. Mail to a known user is delivered by LMTP to
# DIR/mail/example.test/<user>/Maildir; mail to any other address lands in catchall's.
# For failure tests, RCPT TO tempfail@example.test gets 450 and rejected@example.test 550.
#
# Environment (read by start; otherwise a restart keeps the ports recorded in servers.env):
#   POSTDESK_IMAP_PORT 1143 (STARTTLS offered)   POSTDESK_IMAPS_PORT 1993
#   POSTDESK_SMTP_PORT 1025 (no auth, STARTTLS offered)
#   POSTDESK_SUBMISSION_PORT 1587 (AUTH PLAIN/LOGIN against the same users, STARTTLS)
#   POSTDESK_SMTPS_PORT 1465 (implicit TLS, AUTH like submission)
#   POSTDESK_LMTP_PORT 1024   POSTDESK_MAIL_PASSWORD secret
#   POSTDESK_PORT_WAIT 90: seconds each server may take to open a port before start fails naming it
set -euo pipefail

HOST=127.0.0.1
DOMAIN=example.test
USERS="support agent1 agent2 customer1 customer2 customer3 catchall postmaster"

log() { echo "mailservers: $*"; }
fail() { echo "mailservers: $*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 64
}

# ------------------------------------------------------------------ installation
installed() {
    command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1 \
        && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ] \
        && command -v postfix >/dev/null 2>&1 && command -v postconf >/dev/null 2>&1 \
        && command -v openssl >/dev/null 2>&1 \
        && getent passwd postfix >/dev/null && getent passwd dovenull >/dev/null
}

install_packages() {
    installed && return 0
    [ "$(id -u)" = 0 ] || fail "Dovecot/Postfix are missing and only root can install them (sudo $0 install DIR)"
    log "installing dovecot-imapd dovecot-lmtpd postfix"
    # Package scripts would start the system daemons on all interfaces; a policy-rc.d
    # answering 101 ("action forbidden") keeps them stopped. Ours is removed afterwards.
    local guard=0 rc=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# temporary, from postdesk scripts/mailservers.sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        guard=1
    fi
    printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
        "postfix postfix/mailname string localhost" | debconf-set-selections
    # openssl is named only when absent: naming it would upgrade the installed libssl.
    local packages="dovecot-imapd dovecot-lmtpd postfix"
    command -v openssl >/dev/null 2>&1 || packages="$packages openssl"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages || rc=$?
    if [ $rc -ne 0 ]; then
        log "apt-get install failed ($rc); running apt-get update and trying once more"
        rc=0
        # shellcheck disable=SC2086
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages || rc=$?
    fi
    [ $guard = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ $rc -eq 0 ] || fail "apt-get install failed"
    installed || fail "packages installed, but a binary or the postfix/dovenull user is still missing"
}

# ------------------------------------------------------------------ processes
listening() {  # port -> is anything listening on it?
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
    fi
}

# How long a server may take to open a port or socket. A loaded machine (CI with parallel
# builds) can take many seconds to start Dovecot or Postfix; a real failure still ends here.
PORT_WAIT=${POSTDESK_PORT_WAIT:-90}

await_port() {  # name port: waits up to PORT_WAIT seconds; says which port did not open
    local until=$((SECONDS + PORT_WAIT))
    while ((SECONDS <= until)); do listening "$2" && return 0; sleep 0.1; done
    echo "mailservers: $1 is not listening on port $2 after ${PORT_WAIT} s (raise POSTDESK_PORT_WAIT if the machine is just slow)" >&2
    return 1
}

await_socket() {  # name path: the same for a Unix socket
    local until=$((SECONDS + PORT_WAIT))
    while ((SECONDS <= until)); do [ -S "$2" ] && return 0; sleep 0.1; done
    echo "mailservers: $1 socket $2 did not appear after ${PORT_WAIT} s (raise POSTDESK_PORT_WAIT if the machine is just slow)" >&2
    return 1
}

live_pid() {  # pidfile expected-command-substring
    local pid
    [ -r "$1" ] || return 1
    pid=$(tr -dc '0-9' <"$1")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa "$2" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

dovecot_pid() { live_pid "$DIR/dovecot/run/master.pid" dovecot; }
postfix_pid() { live_pid "$DIR/postfix-queue/pid/master.pid" master; }

await_exit() {  # name pid: after SIGTERM, wait up to 10 s, then SIGKILL
    local n
    for ((n = 0; n < 200; n++)); do
        kill -0 "$2" 2>/dev/null || { log "$1 stopped"; return 0; }
        sleep 0.05
    done
    log "$1 (pid $2) ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$2" 2>/dev/null || true
}

# Settings: the environment first, then what the last start in DIR recorded (so a restart
# keeps its ports), then the defaults. stop/status only use pidfiles and the record.
recorded() {  # key default
    local value
    value=$(sed -n "s/^$1=//p" "$DIR/servers.env" 2>/dev/null | head -n1)
    echo "${value:-$2}"
}

load_settings() {
    IMAP_PORT=${POSTDESK_IMAP_PORT:-$(recorded IMAP_PORT 1143)}
    IMAPS_PORT=${POSTDESK_IMAPS_PORT:-$(recorded IMAPS_PORT 1993)}
    SMTP_PORT=${POSTDESK_SMTP_PORT:-$(recorded SMTP_PORT 1025)}
    SUBMISSION_PORT=${POSTDESK_SUBMISSION_PORT:-$(recorded SUBMISSION_PORT 1587)}
    SMTPS_PORT=${POSTDESK_SMTPS_PORT:-$(recorded SMTPS_PORT 1465)}
    LMTP_PORT=${POSTDESK_LMTP_PORT:-$(recorded LMTP_PORT 1024)}
    PASSWORD=${POSTDESK_MAIL_PASSWORD:-$(recorded PASSWORD secret)}
    case "$PASSWORD" in *[!A-Za-z0-9._-]*) fail "POSTDESK_MAIL_PASSWORD: use letters, digits, . _ - only" ;; esac
}

load_recorded() {
    IMAP_PORT=$(recorded IMAP_PORT ?); IMAPS_PORT=$(recorded IMAPS_PORT ?)
    SMTP_PORT=$(recorded SMTP_PORT ?); SUBMISSION_PORT=$(recorded SUBMISSION_PORT ?); SMTPS_PORT=$(recorded SMTPS_PORT ?)
    LMTP_PORT=$(recorded LMTP_PORT ?); PASSWORD=$(recorded PASSWORD ?)
}

# ------------------------------------------------------------------ configuration
write_certificate() {
    [ -s "$DIR/tls/cert.pem" ] && [ -s "$DIR/tls/key.pem" ] && return 0
    # P-256 rather than RSA: key generation takes milliseconds instead of most of a second.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -sha256 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,DNS:mail.$DOMAIN,IP:$HOST" \
        -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1 \
        || fail "openssl could not make the self-signed certificate"
    chmod 600 "$DIR/tls/key.pem"
    chmod 644 "$DIR/tls/cert.pem"
}

write_users() {
    local u
    : >"$DIR/dovecot/users"
    : >"$DIR/postfix/recipients"
    for u in $USERS; do
        echo "$u@$DOMAIN:{PLAIN}$PASSWORD::::::" >>"$DIR/dovecot/users"
        echo "$u@$DOMAIN OK" >>"$DIR/postfix/recipients"
    done
    chown root:dovecot "$DIR/dovecot/users"
    chmod 640 "$DIR/dovecot/users"
}

write_dovecot_conf() {
    local uid=$1 gid=$2
    cat >"$DIR/dovecot/dovecot.conf" <<EOF
# Written by postdesk scripts/mailservers.sh on every start; edits are lost.
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
instance_name = postdesk-mailservers
log_path = $DIR/log/dovecot.log
protocols = imap lmtp
listen = $HOST
shutdown_clients = yes

ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
ssl_min_protocol = TLSv1.2
# Tests also exercise "tls none" on loopback, so plain-text LOGIN stays possible.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try wrong passwords on purpose; answer them at once (anvil still slows the next login).
auth_failure_delay = 0
# LMTP delivers support+detail@ to support@ (Postfix passes the full address on).
recipient_delimiter = +

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/dovecot/users
  default_fields = uid=$uid gid=$gid home=$DIR/mail/%d/%n
}
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid

mail_location = maildir:~/Maildir
# Throwaway test data: skip fsync, which otherwise costs ~15 ms per APPEND or delivery here.
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    special_use = \\Archive
    auto = create
  }
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
    auto = create
  }
}
# Benchmarks and kill tests open many sessions from one address.
mail_max_userip_connections = 500
postmaster_address = postmaster@$DOMAIN
hostname = mail.$DOMAIN

service imap-login {
  inet_listener imap {
    address = $HOST
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = $HOST
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp-postfix {
    user = postfix
    group = postfix
    mode = 0600
  }
  inet_listener lmtp {
    address = $HOST
    port = $LMTP_PORT
  }
}
service auth {
  unix_listener auth-postfix {
    user = postfix
    group = postfix
    mode = 0600
  }
}
EOF
}

write_postfix_conf() {
    # Anything not addressed to our domain is rewritten to catchall@, and the only
    # transport that delivers is LMTP into Dovecot: nothing can be relayed out.
    cat >"$DIR/postfix/catchall.regexp" <<EOF
if !/@${DOMAIN//./\\.}\$/
/^/ catchall@$DOMAIN
endif
EOF
    cat >"$DIR/postfix/recipient_access" <<EOF
tempfail@$DOMAIN 450 4.2.0 Mailbox busy, try again later (test address)
rejected@$DOMAIN 550 5.1.1 Mailbox rejected (test address)
EOF
    cat >"$DIR/postfix/main.cf" <<EOF
# Written by postdesk scripts/mailservers.sh on every start; edits are lost.
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/log/postfix.log
maillog_file_prefixes = $DIR/log
syslog_name = postdesk-postfix

myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled here
alias_maps =
alias_database =
relayhost =
relay_domains =
default_transport = error:5.7.1 mail never leaves this test machine
biff = no
append_dot_mydomain = no
smtputf8_enable = no
message_size_limit = 104857600

# support+anything@ reaches support@ (postdesk's plus_addressing: reply and note addresses; rating links).
recipient_delimiter = +
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_maps = texthash:$DIR/postfix/recipients
virtual_alias_domains =
virtual_alias_maps = regexp:$DIR/postfix/catchall.regexp
virtual_transport = lmtp:unix:$DIR/dovecot/run/lmtp-postfix

smtpd_banner = \$myhostname ESMTP postdesk-test
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$DIR/postfix/recipient_access
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = no
EOF
    cat >"$DIR/postfix/master.cf" <<EOF
# Written by postdesk scripts/mailservers.sh: loopback listeners only, nothing chrooted.
$HOST:$SMTP_PORT inet n - n - - smtpd
$HOST:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postdesk-postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
$HOST:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postdesk-postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup     unix  n - n 60   1 pickup
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
lmtp       unix  - - n -    - lmtp
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
    # Postfix insists that its config and queue trees belong to root.
    chown root:root "$DIR/postfix" "$DIR/postfix"/* "$DIR/postfix-queue"
    chmod 644 "$DIR/postfix"/*
    chown postfix:postfix "$DIR/postfix-data"
}

write_settings() {
    cat >"$DIR/servers.env.new" <<EOF
HOST=$HOST
DOMAIN=$DOMAIN
IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT
SMTP_PORT=$SMTP_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SMTPS_PORT=$SMTPS_PORT
LMTP_PORT=$LMTP_PORT
USERS="$USERS"
PASSWORD=$PASSWORD
CA_FILE=$DIR/tls/cert.pem
MAIL_ROOT=$DIR/mail/$DOMAIN
DOVECOT_CONF=$DIR/dovecot/dovecot.conf
EOF
    mv "$DIR/servers.env.new" "$DIR/servers.env"
}

configure() {
    local uid gid
    uid=$(id -u mail); gid=$(id -g mail)
    mkdir -p "$DIR"/{dovecot/run,dovecot/state,tls,log,mail,postfix,postfix-queue,postfix-data}
    chmod 755 "$DIR" "$DIR/dovecot" "$DIR/log" "$DIR/postfix"
    chown "$uid:$gid" "$DIR/mail"
    chmod 750 "$DIR/mail"
    touch "$DIR/log/dovecot.log" "$DIR/log/postfix.log"
    write_certificate
    write_users
    write_dovecot_conf "$uid" "$gid"
    write_postfix_conf
    write_settings
}

# ------------------------------------------------------------------ commands
start() {
    install_packages
    [ "$(id -u)" = 0 ] || fail "start needs root: Dovecot and Postfix switch to their own users"
    if dovecot_pid >/dev/null && postfix_pid >/dev/null; then
        load_recorded
        log "already running in $DIR"
        status
        return
    fi
    if dovecot_pid >/dev/null || postfix_pid >/dev/null; then
        log "half running in $DIR; restarting"
        stop >/dev/null
    fi
    load_settings
    # Unix socket paths are limited to 108 bytes; Dovecot nests a few levels below DIR.
    [ ${#DIR} -le 70 ] || fail "DIR is too long for Unix sockets below it (keep it under 70 characters)"
    local port
    for port in $IMAP_PORT $IMAPS_PORT $SMTP_PORT $SUBMISSION_PORT $SMTPS_PORT $LMTP_PORT; do
        listening "$port" && fail "port $port is taken (another instance? set POSTDESK_*_PORT)"
    done
    configure
    local u
    for u in postfix dovenull mail; do
        runuser -u "$u" -- test -x "$DIR" || fail "user $u cannot enter $DIR (a parent directory lacks o+x)"
    done

    # Dovecot's master keeps inherited stdio open after daemonizing; detach it so callers
    # that capture our output (tests, `| tail`) are not left waiting.
    dovecot -c "$DIR/dovecot/dovecot.conf" </dev/null >/dev/null 2>>"$DIR/log/dovecot.log" \
        || fail "dovecot did not start; see $DIR/log/dovecot.log"
    if ! await_port "dovecot IMAP" "$IMAP_PORT" || ! await_port "dovecot IMAPS" "$IMAPS_PORT" \
        || ! await_port "dovecot LMTP" "$LMTP_PORT" || ! await_socket "dovecot LMTP" "$DIR/dovecot/run/lmtp-postfix" \
        || ! await_socket "dovecot auth" "$DIR/dovecot/run/auth-postfix"; then
        stop >/dev/null
        fail "dovecot is not listening; see $DIR/log/dovecot.log"
    fi
    if ! postfix -c "$DIR/postfix" start </dev/null >/dev/null 2>>"$DIR/log/postfix.log" \
        || ! await_port "postfix SMTP" "$SMTP_PORT" || ! await_port "postfix submission" "$SUBMISSION_PORT" \
        || ! await_port "postfix SMTPS" "$SMTPS_PORT"; then
        stop >/dev/null
        fail "postfix did not start (dovecot stopped again); see $DIR/log/postfix.log"
    fi
    status
}

stop() {
    # Both get SIGTERM at once and are awaited together: each takes a second or two.
    local postfix="" dovecot=""
    postfix=$(postfix_pid) && kill -TERM "$postfix" 2>/dev/null
    dovecot=$(dovecot_pid) && kill -TERM "$dovecot" 2>/dev/null
    [ -n "$postfix" ] && await_exit postfix "$postfix"
    [ -n "$dovecot" ] && await_exit dovecot "$dovecot"
    [ -n "$postfix$dovecot" ] || log "nothing was running in $DIR"
    return 0
}

status() {
    local rc=0 pid
    load_recorded
    if pid=$(dovecot_pid); then
        log "dovecot pid $pid: imap $HOST:$IMAP_PORT (STARTTLS), imaps $HOST:$IMAPS_PORT, lmtp $HOST:$LMTP_PORT"
    else
        log "dovecot is not running"; rc=1
    fi
    if pid=$(postfix_pid); then
        log "postfix pid $pid: smtp $HOST:$SMTP_PORT, submission $HOST:$SUBMISSION_PORT (AUTH), smtps $HOST:$SMTPS_PORT (AUTH)"
    else
        log "postfix is not running"; rc=1
    fi
    if [ $rc = 0 ]; then
        log "users: $(printf '%s@'"$DOMAIN"' ' $USERS)password: $PASSWORD"
        log "CA file: $DIR/tls/cert.pem   maildirs: $DIR/mail/$DOMAIN/<user>/Maildir   logs: $DIR/log"
    fi
    return $rc
}

[ $# -eq 2 ] || usage
command=$1
case "$command" in
    start | restart | install) mkdir -p "$2" ;;
    stop | status | env | stop-smtp | start-smtp)
        if [ ! -d "$2" ]; then
            log "$2 does not exist, so nothing runs there"
            [ "$command" = stop ] && exit 0
            exit 1
        fi ;;
    *) usage ;;
esac
DIR=$(cd "$2" && pwd -P)
case "$command" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    # Postfix alone, for tests of mail waiting while the SMTP server is down.
    stop-smtp) pid=$(postfix_pid) && kill -TERM "$pid" 2>/dev/null && await_exit postfix "$pid" ;;
    start-smtp) load_recorded; postfix -c "$DIR/postfix" start </dev/null >/dev/null 2>>"$DIR/log/postfix.log"; await_port "postfix SMTP" "$SMTP_PORT" ;;
    status) status ;;
    env) [ -r "$DIR/servers.env" ] || fail "no servers.env in $DIR (never started?)"; cat "$DIR/servers.env" ;;
    install)
        install_packages
        log "dovecot $(dovecot --version | cut -d' ' -f1), postfix $(postconf -dh mail_version)" ;;
esac
