#!/usr/bin/env bash
# Builds postdesk_<version>_amd64.deb with dpkg-deb only (no debhelper):
#   /usr/bin/postdesk                              release binary, Swift runtime linked statically
#   /lib/systemd/system/postdesk.service           the unit (not enabled: edit the config first)
#   /etc/postdesk/config.json                      conffile, from config.example.json
#   /usr/share/man/man1/postdesk.1.gz              from the --help text (scripts/gen-manpage.sh)
#   /usr/share/bash-completion/completions/postdesk  (scripts/gen-completion.sh)
# and maintainer scripts that create the postdesk system user and /var/lib/postdesk.
#   usage: scripts/build-deb.sh [output-directory]     (default: the repository root)
# Prints the path of the .deb on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-$root}

arch=$(dpkg --print-architecture)
[ "$arch" = amd64 ] || echo "build-deb: warning: building on $arch, the package will say $arch" >&2
[ -f config.example.json ] || { echo "build-deb: config.example.json is missing" >&2; exit 66; }

echo "build-deb: swift build -c release --static-swift-stdlib" >&2
swift build -c release --static-swift-stdlib --product postdesk >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/postdesk
version=$("$bin" --version | awk '{print $2}')
[[ $version =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || { echo "build-deb: odd version '$version'" >&2; exit 70; }

name=postdesk_${version}_${arch}
stage=$root/.build/deb/$name
rm -rf "$stage"
install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/postdesk" \
    "$stage/usr/share/man/man1" "$stage/usr/share/bash-completion/completions" "$stage/usr/share/doc/postdesk"

install -m 0755 "$bin" "$stage/usr/bin/postdesk"
strip --strip-unneeded "$stage/usr/bin/postdesk" 2>/dev/null || true
install -m 0644 deploy/postdesk.service "$stage/lib/systemd/system/postdesk.service"
install -m 0644 config.example.json "$stage/etc/postdesk/config.json"
install -m 0644 config.example.json "$stage/usr/share/doc/postdesk/config.example.json"
# The shipped notification templates (compiled into the binary from these files), to copy into `notifications.templates` and edit.
install -d -m 0755 "$stage/usr/share/doc/postdesk/templates"
install -m 0644 Sources/Daemon/Outbound/Templates/* "$stage/usr/share/doc/postdesk/templates/"
[ -f README.md ] && install -m 0644 README.md "$stage/usr/share/doc/postdesk/README.md"
scripts/gen-manpage.sh "$bin" | gzip -9n > "$stage/usr/share/man/man1/postdesk.1.gz"
chmod 0644 "$stage/usr/share/man/man1/postdesk.1.gz"
scripts/gen-completion.sh "$bin" > "$stage/usr/share/bash-completion/completions/postdesk"
chmod 0644 "$stage/usr/share/bash-completion/completions/postdesk"
cat > "$stage/usr/share/doc/postdesk/copyright" <<'TEXT'
postdesk: e-mail help-desk daemon.
Built from the postdesk repository; see README.md for the licence of this source.
TEXT

# Depends: the package of each library the binary links directly (DT_NEEDED), found with dpkg -S
# (dpkg-shlibdeps would need dpkg-dev). Typically libc6, libcurl4, libsqlite3-0, libstdc++6, libgcc-s1.
needed=$(LC_ALL=C readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
depends=$(for soname in $needed; do
    [[ $soname == ld-linux* ]] && continue  # the dynamic loader, part of libc6
    lib=$(ldd "$bin" | awk -v so="$soname" '$1 == so && $3 ~ /^\// {print $3}')
    [ -n "$lib" ] || { echo "build-deb: $soname not found by ldd" >&2; continue; }
    dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || echo "build-deb: no package owns $lib" >&2
done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
for pkg in libcurl4 libsqlite3-0; do
    [[ $depends == *"$pkg"* ]] || { echo "build-deb: expected $pkg among the libraries: $depends" >&2; exit 70; }
done
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)

cat > "$stage/DEBIAN/control" <<TEXT
Package: postdesk
Version: $version
Architecture: $arch
Maintainer: postdesk maintainers <postdesk@localhost>
Section: mail
Priority: optional
Installed-Size: $installed_kb
Depends: $depends, adduser
Description: e-mail help desk: IMAP mailboxes become numbered tickets
 postdesk polls IMAP mailboxes, turns each new message into a numbered ticket,
 threads replies by the [#N] tag in the subject, and mails customers and agents
 over SMTP. A command line reads the SQLite store. Runs as a systemd service
 (Type=notify, watchdog, reload on SIGHUP) under its own "postdesk" user.
TEXT
echo /etc/postdesk/config.json > "$stage/DEBIAN/conffiles"

cat > "$stage/DEBIAN/postinst" <<'TEXT'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    install -d -m 0750 /var/lib/postdesk
    if ! getent passwd postdesk >/dev/null; then
        adduser --system --group --home /var/lib/postdesk --no-create-home \
            --gecos "postdesk help desk" postdesk >/dev/null
    fi
    chown postdesk:postdesk /var/lib/postdesk
    chmod 0750 /var/lib/postdesk
    # The config may hold a password: readable by root and the service, no one else.
    chown root:postdesk /etc/postdesk
    chmod 0750 /etc/postdesk
    if [ -f /etc/postdesk/config.json ]; then
        chown root:postdesk /etc/postdesk/config.json
        chmod 0640 /etc/postdesk/config.json
    fi
    # Not enabled or started here: the example config needs real mailboxes first.
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null || true
        if systemctl is-active --quiet postdesk.service; then
            systemctl restart postdesk.service || true
        fi
    fi
fi
exit 0
TEXT

cat > "$stage/DEBIAN/prerm" <<'TEXT'
#!/bin/sh
set -e
# Stop before the binary goes away; on upgrade postinst restarts it. No systemd (a container): nothing to stop.
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    systemctl stop postdesk.service >/dev/null 2>&1 || true
fi
exit 0
TEXT

cat > "$stage/DEBIAN/postrm" <<'TEXT'
#!/bin/sh
set -e
case "$1" in
    remove|purge)
        if command -v systemctl >/dev/null 2>&1; then
            # Works offline too: it only removes the wants/ symlinks.
            systemctl disable postdesk.service >/dev/null 2>&1 || true
            if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
        fi
        ;;
esac
if [ "$1" = purge ]; then
    rmdir /etc/postdesk 2>/dev/null || true
    # Tickets and mail in /var/lib/postdesk are kept, and so is the user owning them.
    if [ -d /var/lib/postdesk ]; then
        echo "postdesk: kept /var/lib/postdesk (tickets and mail); remove it by hand if unwanted" >&2
    fi
fi
exit 0
TEXT
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles"

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out/$name.deb" >&2
echo "$out/$name.deb"
