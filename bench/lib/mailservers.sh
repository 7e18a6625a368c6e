# bench/lib/mailservers.sh: the mail-server start-up the benchmarks share. Source it, then call
#
#   bench_servers_start NAME [PORT_PREFIX]
#
# It makes WORK (a new /tmp/postdesk-NAME.XXXXXX directory), starts Dovecot and Postfix there with
# scripts/mailservers.sh on PORT_PREFIX143/993/025/587/024/465 (default prefix 3; each
# POSTDESK_*_PORT set in the environment wins), reads their servers.env into the shell (HOST,
# IMAP_PORT, PASSWORD, CA_FILE, DOMAIN, ...), and on exit stops them and removes WORK unless
# BENCH_KEEP=1. Needs ROOT (the checkout) and root privileges (the servers switch users).

bench_log() { echo "run.sh: $*" >&2; }

bench_servers_cleanup() {
    "$ROOT/scripts/mailservers.sh" stop "$WORK/servers" >/dev/null 2>&1 || true
    if [ "${BENCH_KEEP:-0}" = 1 ]; then bench_log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

bench_servers_start() {
    local name=$1 prefix=${2:-3}
    WORK=$(mktemp -d "/tmp/postdesk-$name.XXXXXX")
    chmod 755 "$WORK"
    trap bench_servers_cleanup EXIT
    trap 'exit 130' INT TERM
    export POSTDESK_IMAP_PORT=${POSTDESK_IMAP_PORT:-${prefix}143} POSTDESK_IMAPS_PORT=${POSTDESK_IMAPS_PORT:-${prefix}993}
    export POSTDESK_SMTP_PORT=${POSTDESK_SMTP_PORT:-${prefix}025} POSTDESK_SUBMISSION_PORT=${POSTDESK_SUBMISSION_PORT:-${prefix}587}
    export POSTDESK_LMTP_PORT=${POSTDESK_LMTP_PORT:-${prefix}024} POSTDESK_SMTPS_PORT=${POSTDESK_SMTPS_PORT:-${prefix}465}
    bench_log "starting Dovecot and Postfix in $WORK/servers (IMAP port $POSTDESK_IMAP_PORT)"
    "$ROOT/scripts/mailservers.sh" start "$WORK/servers" >"$WORK/mailservers.log" 2>&1 \
        || { cat "$WORK/mailservers.log" >&2; exit 69; }
    # shellcheck disable=SC1091
    . "$WORK/servers/servers.env"
}
