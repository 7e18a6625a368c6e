#!/usr/bin/env python3
"""rawfetch.py: the raw-download baseline of the intake benchmark.

Logs in, selects the folder and sends one `UID FETCH 1:* BODY.PEEK[]`, then reads every
message body and nothing else: no parsing beyond framing, no storage. That is the ceiling an
importer that uses the same server and connection could reach.

  --client imaplib   Python's imaplib (`uid("FETCH", ...)`), which collects the whole answer
  --client stream    our own reader: response lines, literals skipped over by their length,
                     bytes counted as they arrive (no per-message objects)

Prints one JSON object: client, messages, bytes, seconds (from before connect to after the
tagged OK), and with --verify PACK whether each body equals the pack's message (in order).
"""
from __future__ import annotations

import argparse
import hashlib
import imaplib
import json
import os
import re
import socket
import ssl
import sys
import time

LITERAL_END = re.compile(rb"\{(\d+)\}$")


def context(ca_file: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = False  # the test certificate names localhost and 127.0.0.1 only
    return ctx


def via_imaplib(a) -> tuple[int, int, list[bytes]]:
    if a.tls == "imaps":
        m = imaplib.IMAP4_SSL(a.host, a.port, ssl_context=context(a.ca_file))
    else:
        m = imaplib.IMAP4(a.host, a.port)
        if a.tls == "starttls":
            m.starttls(context(a.ca_file))
    m.login(a.user, a.password)
    m.select(a.folder, readonly=True)
    typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[])")
    if typ != "OK":
        raise SystemExit(f"FETCH failed: {data!r}")
    bodies = [item[1] for item in data if isinstance(item, tuple)]
    m.logout()
    digests = [hashlib.sha256(b).digest() for b in bodies] if a.verify else []
    return len(bodies), sum(len(b) for b in bodies), digests


class Stream:
    """Buffered reads over a socket: lines and counted literals."""

    def __init__(self, sock):
        self.sock, self.buf, self.pos = sock, bytearray(), 0

    def fill(self) -> None:
        chunk = self.sock.recv(1 << 18)
        if not chunk:
            raise ConnectionError("server closed the connection")
        if self.pos > (1 << 20):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += chunk

    def line(self) -> bytes:
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                ln = bytes(self.buf[self.pos:end])
                self.pos = end + 2
                return ln
            self.fill()

    def literal(self, n: int, keep: bool) -> bytes | None:
        while len(self.buf) - self.pos < n:
            self.fill()
        data = bytes(self.buf[self.pos:self.pos + n]) if keep else None
        self.pos += n
        return data


def via_stream(a) -> tuple[int, int, list[bytes]]:
    sock = socket.create_connection((a.host, a.port), timeout=600)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if a.tls == "imaps":
        sock = context(a.ca_file).wrap_socket(sock, server_hostname=a.host)
    s = Stream(sock)
    s.line()

    def command(tag: bytes, text: bytes, on_literal=None) -> None:
        s.sock.sendall(tag + b" " + text + b"\r\n")
        while True:
            ln = s.line()
            while True:  # a line ending in {n} continues after n bytes of literal
                m = LITERAL_END.search(ln)
                if not m:
                    break
                n = int(m.group(1))
                if on_literal:
                    on_literal(n)
                else:
                    s.literal(n, False)
                ln = s.line()
            if ln.startswith(tag + b" "):
                if not ln[len(tag) + 1:].startswith(b"OK"):
                    raise SystemExit(f"IMAP: {ln.decode(errors='replace')}")
                return

    if a.tls == "starttls":
        command(b"s", b"STARTTLS")
        s.sock = context(a.ca_file).wrap_socket(sock, server_hostname=a.host)
        s.buf, s.pos = bytearray(), 0
    quote = lambda v: b'"' + v.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'
    command(b"l", b"LOGIN " + quote(a.user) + b" " + quote(a.password))
    command(b"e", b"EXAMINE " + quote(a.folder))
    count = total = 0
    digests: list[bytes] = []

    def body(n: int) -> None:
        nonlocal count, total
        data = s.literal(n, a.verify is not None)
        if data is not None:
            digests.append(hashlib.sha256(data).digest())
        count += 1
        total += n

    command(b"f", b"UID FETCH 1:* BODY.PEEK[]", body)
    try:
        command(b"o", b"LOGOUT")
    except (OSError, ConnectionError, SystemExit):
        pass
    sock.close()
    return count, total, digests


def pack_digests(path: str) -> list[bytes]:
    out = []
    with open(path, "rb") as f:
        while True:
            line = f.readline()
            if not line:
                return out
            size = int(line.split()[0])
            out.append(hashlib.sha256(f.read(size)).digest())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--client", choices=["imaplib", "stream"], default="stream")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("IMAP_PORT", 143)))
    p.add_argument("--tls", choices=["none", "starttls", "imaps"], default="none")
    p.add_argument("--ca-file")
    p.add_argument("--user", default="support@example.test")
    p.add_argument("--password", default=os.environ.get("PASSWORD", "secret"))
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--verify", metavar="PACK", help="compare every body with this gen.py pack")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    count, total, digests = (via_imaplib if a.client == "imaplib" else via_stream)(a)
    seconds = time.perf_counter() - t0
    out = {"client": a.client, "messages": count, "bytes": total, "seconds": round(seconds, 4)}
    if a.verify:
        out["identical"] = digests == pack_digests(a.verify)
    print(json.dumps(out))
    return 0 if not a.verify or out["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
