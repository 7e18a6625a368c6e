#!/usr/bin/env bash
# Builds the .deb, checks its contents, installs it with dpkg -i, runs /usr/bin/postdesk,
# checks the user, directories, modes, man page, completion and unit, then removes and purges it.
# Needs root (or passwordless sudo) for dpkg -i; refuses to touch an existing postdesk install.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
ok() { echo "test-deb: ok: $*"; }

if [ "$(id -u)" -eq 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo=sudo; else
    echo "test-deb: SKIPPED: needs root or passwordless sudo for dpkg -i"; exit 0; fi
if dpkg -s postdesk >/dev/null 2>&1; then
    echo "test-deb: SKIPPED: postdesk is already installed here; not replacing it"; exit 0; fi

out=$(mktemp -d /tmp/postdesk-deb.XXXXXX)
installed=
# What the package leaves behind on purge (the user and /var/lib/postdesk) is removed again only
# when this test created it, so a CI machine ends as it started.
had_user=$(getent passwd postdesk >/dev/null && echo 1 || true)
had_state=$([ -e /var/lib/postdesk ] && echo 1 || true)
cleanup() {
    if [ -n "$installed" ] && dpkg -s postdesk >/dev/null 2>&1; then $sudo dpkg -P postdesk >/dev/null 2>&1 || true; fi
    [ -n "$had_state" ] || $sudo rm -rf /var/lib/postdesk
    if [ -z "$had_user" ] && getent passwd postdesk >/dev/null; then
        $sudo userdel postdesk >/dev/null 2>&1 || true
        $sudo groupdel postdesk >/dev/null 2>&1 || true
    fi
    rm -rf "$out"
}
trap cleanup EXIT

deb=$(scripts/build-deb.sh "$out" | tail -n 1)
[ -f "$deb" ] || fail "build-deb.sh made no package"
version=$(dpkg-deb --field "$deb" Version)
[[ $(basename "$deb") == "postdesk_${version}_amd64.deb" ]] || fail "package name $(basename "$deb")"
ok "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/postdesk ./lib/systemd/system/postdesk.service ./etc/postdesk/config.json \
            ./usr/share/man/man1/postdesk.1.gz ./usr/share/bash-completion/completions/postdesk; do
    grep -q " $path\$" <<<"$contents" || fail "$path missing from the package"
done
grep -q '^-rwxr-xr-x root/root .* ./usr/bin/postdesk$' <<<"$contents" || fail "binary not 0755 root:root"
ok "dpkg-deb --contents lists the binary, unit, conffile, man page and completion"
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/postdesk/config.json ] || fail "conffiles"
depends=$(dpkg-deb --field "$deb" Depends)
for d in libcurl4 libsqlite3-0 adduser; do [[ $depends == *$d* ]] || fail "Depends lacks $d: $depends"; done
ok "conffile /etc/postdesk/config.json; Depends: $depends"

$sudo dpkg -i "$deb" >/dev/null
installed=1
[ "$(/usr/bin/postdesk --version)" = "postdesk $version" ] || fail "/usr/bin/postdesk --version"
ok "dpkg -i; /usr/bin/postdesk --version: $(/usr/bin/postdesk --version)"
# The Swift runtime is linked in: nothing may resolve to a Swift toolchain directory.
if ldd /usr/bin/postdesk | grep -qiE 'not found|swift'; then fail "binary needs the toolchain: $(ldd /usr/bin/postdesk)"; fi
ok "binary runs without the Swift toolchain ($(ldd /usr/bin/postdesk | wc -l) shared libraries, none from Swift)"
# The notification templates are compiled in: the installed binary renders every one with no files beside it.
checked=$(cd / && /usr/bin/postdesk --config /etc/postdesk/config.json templates check) || fail "templates check: $checked"
grep -qE '^ack +ru +shipped +shipped' <<<"$checked" || fail "templates check lacks the shipped Russian ack: $checked"
ok "templates check renders the shipped templates ($(wc -l <<<"$checked") lines) from the installed binary"

getent passwd postdesk >/dev/null || fail "no postdesk user"
[ "$(stat -c '%U:%G %a' /var/lib/postdesk)" = "postdesk:postdesk 750" ] || fail "/var/lib/postdesk: $(stat -c '%U:%G %a' /var/lib/postdesk)"
[ "$(stat -c '%U:%G %a' /etc/postdesk)" = "root:postdesk 750" ] || fail "/etc/postdesk: $(stat -c '%U:%G %a' /etc/postdesk)"
[ "$(stat -c '%U:%G %a' /etc/postdesk/config.json)" = "root:postdesk 640" ] || fail "config.json: $(stat -c '%U:%G %a' /etc/postdesk/config.json)"
cmp -s /etc/postdesk/config.json config.example.json || fail "config.json differs from config.example.json"
ok "user postdesk; /var/lib/postdesk postdesk:postdesk 750; /etc/postdesk/config.json root:postdesk 640"
if command -v runuser >/dev/null && [ -z "$sudo" ]; then
    # The service user reads the config and writes the state directory; other users read neither.
    runuser -u postdesk -- /usr/bin/postdesk --config /etc/postdesk/config.json check-config >/dev/null 2>&1 \
        || fail "the postdesk user cannot read /etc/postdesk/config.json"
    runuser -u postdesk -- /usr/bin/postdesk --db /var/lib/postdesk/test-deb.db migrate >/dev/null \
        || fail "the postdesk user cannot create a database in /var/lib/postdesk"
    rm -f /var/lib/postdesk/test-deb.db*
    if runuser -u nobody -- cat /etc/postdesk/config.json >/dev/null 2>&1; then fail "user nobody can read the config"; fi
    ok "postdesk user reads the config and migrates a store in /var/lib/postdesk; user nobody cannot read the config"
fi

# The unit sets MemoryDenyWriteExecute=yes. The kernel's PR_SET_MDWE (Linux 6.3+) enforces the
# same W^X rule without systemd: the Swift binary must open and migrate a store under it.
if command -v python3 >/dev/null; then
    mdwe_db=$out/mdwe.db
    if python3 - "$mdwe_db" <<'PY'
import ctypes, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
    print("unsupported"); sys.exit(2)
sys.exit(subprocess.run(["/usr/bin/postdesk", "--db", sys.argv[1], "migrate"], stdout=subprocess.DEVNULL).returncode)
PY
    then ok "runs with W^X memory enforced by the kernel (MemoryDenyWriteExecute=yes holds)"
    else [ $? -eq 2 ] && echo "test-deb: note: kernel lacks PR_SET_MDWE; W^X not checked" || fail "postdesk fails under W^X"; fi
fi

warnings=$(zcat /usr/share/man/man1/postdesk.1.gz | groff -man -ww -z 2>&1 || true)
[ -z "$warnings" ] || fail "man page warnings: $warnings"
page=$(MANWIDTH=100 man -l /usr/share/man/man1/postdesk.1.gz 2>/dev/null | col -b)
for c in $(/usr/bin/postdesk --help | awk '/^Commands:/ {f=1; next} /^$/ {f=0} f {print $1}'); do
    grep -q "postdesk $c" <<<"$page" || fail "man page lacks 'postdesk $c'"
done
ok "postdesk(1) renders without groff warnings and documents every command"

complete_words() { bash -c 'source /usr/share/bash-completion/completions/postdesk; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _postdesk; echo "${COMPREPLY[*]}"' _ "$@"; }
[ "$(complete_words postdesk ti)" = tickets ] || fail "completion of 'postdesk ti': $(complete_words postdesk ti)"
[[ " $(complete_words postdesk tickets --st) " == *" --status "* ]] || fail "completion of 'postdesk tickets --st'"
[ "$(complete_words postdesk --log-level w)" = warning ] || fail "completion of --log-level"
ok "bash completion: commands, per-command options, --log-level values"

if command -v systemd-analyze >/dev/null; then
    verify=$(systemd-analyze verify /lib/systemd/system/postdesk.service 2>&1) || fail "systemd-analyze verify: $verify"
    [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
    ok "systemd-analyze verify of the installed unit: clean"
fi

$sudo dpkg -r postdesk >/dev/null
[ ! -e /usr/bin/postdesk ] || fail "/usr/bin/postdesk still there after dpkg -r"
[ -f /etc/postdesk/config.json ] || fail "dpkg -r removed the conffile (only purge may)"
ok "dpkg -r removes the binary and keeps the config"
$sudo dpkg -P postdesk >/dev/null 2>&1
[ ! -e /etc/postdesk/config.json ] || fail "dpkg -P left /etc/postdesk/config.json"
installed=
ok "dpkg -P removes the config; /var/lib/postdesk and the user are kept, as documented"
echo "test-deb: all ok"
