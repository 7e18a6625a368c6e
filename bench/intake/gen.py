#!/usr/bin/env python3
"""gen.py: deterministic support mail for postdesk's intake benchmark, and a fast IMAP loader.

The same --seed and --count always give byte-identical messages, so every contender in a run
(and every run on every machine) sees the same mail.

Mix of N messages (defaults):
  * total sizes log-uniform between 2 and 60 KB (many small, few large)
  * 20 % replies to an earlier thread: "Re: <subject> [#<thread>]" (--tag), In-Reply-To and
    References naming the thread's previous message, "> " quoted text and an "On ... wrote:" line
  * 15 % carry an attachment: text/csv (7bit or base64), a text/plain log, or base64 PDF/PNG/ZIP
    bytes; some attachment names are non-ASCII (RFC 2231 filename*=)
  * 25 % of the rest are multipart/alternative (text + HTML)
  * most carry some non-ASCII text (names, greetings, 5 of 8 bodies mix in German, French,
    Spanish, Japanese or Russian sentences, some subjects): UTF-8 as 8bit, quoted-printable or
    base64, ISO-8859-1 bodies, RFC 2047 encoded-words in headers
All lines end in CRLF, as IMAP APPEND expects.

Commands:
  gen.py pack   -n N [--seed S] --out FILE      write the N messages into one pack file
  gen.py eml    -n N [--seed S] --out DIR       write NNNNNN.eml files
  gen.py load   (-n N [--seed S] | --pack FILE [--limit M]) [--clear] [server options]
  gen.py clear  [server options]                expunge every message of the folder
  gen.py count  [server options]                print the folder's message count
  gen.py stats  -n N [--seed S]                 sizes and mix, no server

The loader speaks IMAP itself over one connection: LOGIN, then MULTIAPPEND batches with
LITERAL+ (RFC 7888) literals, so a batch of messages costs one round trip. It falls back to
one APPEND per message when the server lacks either capability. INTERNALDATE is the Date:.
A pack file is the messages back to back, each behind a line "<bytes> <unix-date>\\n".
"""
from __future__ import annotations

import argparse
import base64
import json
import math
import os
import quopri
import random
import re
import socket
import ssl
import sys
import time
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime

CRLF = "\r\n"
EPOCH = datetime(2026, 1, 5, 7, 30, tzinfo=timezone.utc)

GIVEN = ["Alice", "Bernd", "Camille", "Dmitri", "Elif", "François", "Gunnhild", "Hana", "Ibrahim",
         "Jürgen", "Keiko", "Luis", "Małgorzata", "Niamh", "Øystein", "Priya", "Raúl", "Søren",
         "Thandiwe", "Ugo", "Vera", "Wojciech", "Xu", "Yara", "Zdeněk", "Émilie"]
FAMILY = ["Andersson", "Bauer", "Castillo", "Dąbrowski", "Eriksen", "Fischer", "Gonçalves",
          "Hoffmann", "Ishikawa", "Jovanović", "Kelly", "Larsen", "Moreau", "Nakamura", "Okonkwo",
          "Petrov", "Quinn", "Reyes", "Schäfer", "Tanaka", "Urban", "Varga", "Weiß", "Young"]
DOMAINS = ["customer-one.example", "acme.example", "globex.example", "initech.example",
           "mail.example.org", "example.net", "umbrella.example", "hooli.example"]
CLIENTS = ["Mozilla Thunderbird 128.4.0", "Microsoft Outlook 16.0", "Apple Mail (3826.200.121)",
           "Roundcube Webmail/1.6.9", "K-9 Mail for Android", "Evolution 3.52.4"]
# {n} is a number, {p} a product; some subjects are deliberately non-ASCII.
SUBJECTS = [
    "Cannot sign in since this morning", "Invoice {n} shows the wrong VAT rate",
    "Export to {p} fails with error 500", "Password reset e-mail never arrives",
    "Order {n} arrived damaged", "How do I add a second user to {p}?",
    "Refund for duplicate payment {n}", "{p} is very slow since the last update",
    "Two-factor codes are rejected", "Please cancel subscription {n}",
    "Data missing after import into {p}", "Question about the API rate limit",
    "Rechnung {n}: falscher Betrag", "Lieferung {n} unvollständig",
    "Problème de connexion à {p}", "Facture {n} non reçue — urgent",
    "Pedido {n} sin número de seguimiento", "Ошибка при входе в {p}",
    "{p} のログインができません", "订单 {n} 尚未发货", "Błąd synchronizacji w {p}",
    "Certificate warning when opening {p}", "Feature request: dark mode for {p}",
    "Attachment from yesterday's call", "Account locked after too many attempts",
]
PRODUCTS = ["the portal", "Billing", "the mobile app", "Reports", "the dashboard", "SyncBox",
            "the CSV importer", "Calendar", "TimeTrack"]
VOCAB = ("account access after again already application attached before billing browser "
         "button cache change checked colleague customer dashboard data error every export "
         "failed file first happens help invoice login message morning never number order "
         "page password please problem really report restart same screen second server "
         "settings shows since still support system thanks today tried update upload user "
         "version week when without working yesterday").split()
# Sentences in other languages, for the non-ASCII bodies.
FOREIGN = {
    "de": ["Seit dem Update funktioniert die Anmeldung nicht mehr.",
           "Können Sie bitte prüfen, ob mein Konto gesperrt ist?",
           "Die Rechnung enthält einen falschen Betrag für März.",
           "Vielen Dank für Ihre schnelle Rückmeldung, das Problem besteht weiterhin."],
    "fr": ["Depuis la mise à jour, je ne peux plus me connecter.",
           "Pourriez-vous vérifier la facture jointe ? Le montant est erroné.",
           "Le téléchargement échoue à chaque fois avec une erreur.",
           "Merci d'avance pour votre aide, c'est assez urgent."],
    "es": ["Desde ayer no puedo acceder a mi cuenta.",
           "¿Podrían revisar el pedido? Llegó incompleto.",
           "La exportación falla siempre con el mismo error."],
    "ja": ["昨日からログインできません。", "請求書の金額が間違っているようです。",
           "至急ご確認をお願いいたします。"],
    "ru": ["Не могу войти в систему после обновления.", "Пожалуйста, проверьте мой заказ."],
}
LATIN1_LANGS = ("de", "fr", "es")
CLOSINGS = ["Best regards", "Kind regards", "Thanks in advance", "Cheers",
            "Mit freundlichen Grüßen", "Cordialement", "Saludos"]
GREETINGS = ["Hello,", "Hi support team,", "Dear Sir or Madam,", "Hallo zusammen,", "Bonjour,"]
REPLY_OPENERS = ["Thanks, but it still does not work.", "Any news on this?",
                 "Here is the extra information you asked for.", "It happened again today.",
                 "That fixed it for one user, the others still see the error."]
ATTACHMENTS = [  # (name, content type, kind)
    ("export.csv", "text/csv", "csv"), ("Umsätze März.csv", "text/csv", "csv"),
    ("orders.csv", "text/csv", "csv"), ("server.log", "text/plain", "log"),
    ("invoice.pdf", "application/pdf", "bin"), ("screenshot.png", "image/png", "bin"),
    ("logs.zip", "application/zip", "bin"), ("Rechnung Nr. 4711.pdf", "application/pdf", "bin"),
]


# ---------------------------------------------------------------- text
def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


class TextPool:
    """A long run of paragraphs per language, made once; message bodies are slices of it.
    Slicing keeps generation fast (10 000 messages in seconds) and still varied."""

    SIZE = 160_000

    def __init__(self, seed: int):
        self.seed = seed
        self.pools: dict = {}

    def text(self, lang: str | None) -> str:
        if lang not in self.pools:
            rng = random.Random(f"pool/{self.seed}/{lang}")
            paras, total = [], 0
            while total < self.SIZE:
                sentences = []
                for _ in range(rng.randint(2, 5)):
                    if lang and rng.random() < 0.4:
                        sentences.append(rng.choice(FOREIGN[lang]))
                    else:
                        s = words(rng, rng.randint(5, 16))
                        sentences.append(s[0].upper() + s[1:] + rng.choice(".?.!."))
                para = " ".join(sentences)
                paras.append(para)
                total += len(para) + 2
            self.pools[lang] = "\n\n".join(paras)
        return self.pools[lang]

    def prose(self, where: float, size: int, lang: str | None) -> str:
        """About `size` characters starting at a word boundary near fraction `where` of the pool."""
        pool = self.text(lang)
        size = min(size, len(pool) // 2)
        start = int(where * (len(pool) - size - 1))
        start = pool.find(" ", start) + 1
        piece = pool[start:start + size]
        cut = piece.rfind(" ")
        piece = piece[:cut] if cut > 0 else piece
        return piece[0].upper() + piece[1:] if piece else "Hello"


FOLDERS: dict = {}


def fold(text: str, width: int = 72) -> list[str]:
    """Lines of at most `width` characters, broken at spaces (longer words stay whole)."""
    rx = FOLDERS.get(width)
    if rx is None:
        rx = FOLDERS[width] = re.compile(r"\S.{0,%d}\S(?= |$)|\S(?= |$)|\S+" % (width - 2))
    out = []
    for para in text.split("\n"):
        out.extend(rx.findall(para) or [""])
    return out


def header_text(value: str) -> str:
    """An unstructured header value, RFC 2047-encoded when it is not ASCII."""
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep=CRLF)


def mailbox(name: str, addr: str) -> str:
    if name.isascii():
        return f'"{name}" <{addr}>' if re.search(r"[^\w ]", name) else f"{name} <{addr}>"
    return f"{Header(name, 'utf-8').encode()} <{addr}>"


def crlf(lines: list[str]) -> str:
    return CRLF.join(lines) + CRLF


def b64_lines(data: bytes) -> str:
    enc = base64.b64encode(data).decode()
    return crlf([enc[k:k + 76] for k in range(0, len(enc), 76)])


# ---------------------------------------------------------------- parts
def text_part(text: str, style: tuple[float, float, float], lang: str | None) -> tuple[list[str], str]:
    """(headers, body) of a text/plain part; `style` (three numbers in [0, 1), drawn before the
    text so that a re-render at another size keeps them) picks charset, encoding and format."""
    lines = fold(text)
    if text.isascii():
        cte = "quoted-printable" if style[0] < 0.3 else "7bit"
        charset = "us-ascii" if cte == "7bit" else "utf-8"
    else:
        charset = "utf-8"
        if lang in LATIN1_LANGS and style[1] < 0.4:
            try:
                text.encode("iso-8859-1")
                charset = "iso-8859-1"
            except UnicodeEncodeError:
                pass
        cte = ["8bit", "quoted-printable", "quoted-printable", "base64"][int(style[0] * 4)]
        if cte == "8bit":
            charset = "utf-8"  # the message as a whole is written as UTF-8
    raw = "\r\n".join(lines).encode(charset) + b"\r\n"
    if cte == "quoted-printable":
        body = quopri.encodestring(raw.replace(b"\r\n", b"\n")).decode("ascii")
        body = crlf(body.rstrip("\n").split("\n"))
    elif cte == "base64":
        body = b64_lines(raw)
    else:
        body = raw.decode(charset)
    flowed = "; format=flowed" if style[2] < 0.2 and cte in ("7bit", "8bit") else ""
    return ([f"Content-Type: text/plain; charset={charset}{flowed}",
             f"Content-Transfer-Encoding: {cte}"], body)


def html_part(text: str) -> tuple[list[str], str]:
    paras = "".join("<p>" + p.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
                    + "</p>\n" for p in text.split("\n\n"))
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '</head>\n<body style="font-family: Calibri, sans-serif">\n' + paras + "</body></html>\n")
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return (["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
            crlf(body.rstrip("\n").split("\n")))


def attachment_part(rng: random.Random, kind: tuple[str, str, str], size: int, i: int) -> tuple[list[str], str]:
    name, ctype, what = kind
    plain_csv = rng.random() < 0.5  # drawn first: the content below depends on the size
    if name.isascii():
        disp = f'attachment; filename="{name}"'
        ctname = f'; name="{name}"'
    else:  # RFC 2231 for the parameter, as current clients send it
        enc = "".join(c if c.isalnum() and c.isascii() or c in ".-_" else "%%%02X" % b
                      for c in name for b in c.encode("utf-8"))
        disp = f"attachment;\r\n filename*=utf-8''{enc}"
        ctname = ""
    if what == "csv":
        rows, total = ["date;order;customer;amount;currency;status"], 0
        while total < size:
            row = (f"2026-01-{rng.randint(1, 28):02d};{100000 + rng.randrange(900000)};"
                   f"{rng.choice(FAMILY)};{rng.randint(1, 99999) / 100:.2f};"
                   f"{rng.choice(['EUR', 'USD', 'CHF'])};{rng.choice(['paid', 'open', 'refunded'])}")
            rows.append(row)
            total += len(row) + 2
        data = crlf(rows).encode("utf-8")
        if plain_csv:
            return ([f"Content-Type: {ctype}; charset=utf-8{ctname}", "Content-Transfer-Encoding: 7bit"
                     if data.isascii() else "Content-Transfer-Encoding: 8bit",
                     f"Content-Disposition: {disp}"], data.decode("utf-8"))
        size_data = data
        size = len(data)
    elif what == "log":
        lines, total = [], 0
        while total < size:
            ln = (f"2026-01-05T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z "
                  f"{rng.choice(['INFO', 'WARN', 'ERROR'])} [{rng.choice(['sync', 'auth', 'api'])}] "
                  f"{words(rng, rng.randint(4, 12))} id={i}-{total}")
            lines.append(ln)
            total += len(ln) + 2
        return ([f"Content-Type: text/plain; charset=us-ascii{ctname}", "Content-Transfer-Encoding: 7bit",
                 f"Content-Disposition: {disp}"], crlf(lines))
    else:
        size_data = rng.randbytes(max(16, size * 3 // 4))
    return ([f"Content-Type: {ctype}{ctname}", "Content-Transfer-Encoding: base64",
             f"Content-Disposition: {disp}"], b64_lines(size_data))


def multipart(subtype: str, boundary: str, parts: list[tuple[list[str], str]]) -> tuple[list[str], str]:
    body = "This is a multi-part message in MIME format." + CRLF
    for headers, content in parts:
        body += f"{CRLF}--{boundary}{CRLF}" + crlf(headers) + CRLF + content
    body += f"{CRLF}--{boundary}--{CRLF}"
    return ([f'Content-Type: multipart/{subtype};{CRLF} boundary="{boundary}"'], body)


# ---------------------------------------------------------------- messages
class Mailbag:
    """Generates message i after messages 0..i-1 (replies need their thread's history)."""

    def __init__(self, seed: int, count: int, tag: str = "[#{id}]", to: str = "support@example.test",
                 min_kb: float = 2, max_kb: float = 60, reply_ratio: float = 0.2,
                 attach_ratio: float = 0.15, alternative_ratio: float = 0.25):
        self.seed, self.tag, self.to = seed, tag, to
        self.lo, self.hi = int(min_kb * 1024), int(max_kb * 1024)
        self.reply_ratio, self.attach_ratio, self.alternative_ratio = reply_ratio, attach_ratio, alternative_ratio
        people = random.Random(f"people/{seed}")
        self.senders = []
        for k in range(max(30, count // 3)):
            given, family = people.choice(GIVEN), people.choice(FAMILY)
            local = re.sub(r"[^a-z.]", "", f"{given}.{family}".lower().encode("ascii", "ignore").decode())
            self.senders.append((f"{given} {family}", f"{local or 'user'}{k}@{people.choice(DOMAINS)}"))
        self.threads: list[dict] = []
        self.pool = TextPool(seed)

    def message(self, i: int) -> tuple[bytes, int, dict]:
        """(raw bytes, unix date, facts) of message i; call in order 0, 1, 2, ..."""
        rng = random.Random(f"plan/{self.seed}/{i}")
        want = int(math.exp(rng.uniform(math.log(self.lo * 1.02), math.log(self.hi * 0.98))))
        date = EPOCH + timedelta(seconds=i * 53 + rng.randint(0, 50))
        reply = bool(self.threads) and rng.random() < self.reply_ratio
        if reply:  # mostly recent threads, now and then an old one
            back = min(len(self.threads) - 1, int(rng.expovariate(1 / 12)))
            thread = self.threads[-1 - back]
            sender = thread["sender"]
        else:
            thread = None
            sender = self.senders[rng.randrange(len(self.senders))]
        domain = sender[1].split("@")[1]
        plan = {
            "i": i, "date": date, "reply": reply, "thread": thread, "sender": sender,
            "mid": f"<{date:%Y%m%d%H%M%S}.{rng.getrandbits(48):012x}.{i}@{domain}>",
            "subject": thread["subject"] if thread else
            rng.choice(SUBJECTS).format(n=rng.randint(10000, 999999), p=rng.choice(PRODUCTS)),
            "attach": ATTACHMENTS[rng.randrange(len(ATTACHMENTS))] if rng.random() < self.attach_ratio else None,
            "lang": rng.choice([None, None, None, "de", "fr", "es", "ja", "ru"]),
        }
        plan["alternative"] = plan["attach"] is None and rng.random() < self.alternative_ratio
        # The structure is fixed by the plan; only the amount of text changes, so size grows
        # roughly linearly with the budget: secant steps, keeping the closest render.
        budget, slope, best = want, 1.0, None
        last = None
        for _ in range(6):
            raw, body_text = self.render(plan, budget)
            if best is None or abs(len(raw) - want) < abs(len(best[0]) - want):
                best = (raw, body_text)
            if abs(len(raw) - want) <= max(150, want // 40):
                break
            if last is not None and budget != last[0] and len(raw) != last[1]:
                slope = min(4.0, max(0.3, (len(raw) - last[1]) / (budget - last[0])))
            last = (budget, len(raw))
            budget = max(64, int(budget + (want - len(raw)) / slope))
        raw, body_text = best
        if thread is None:
            thread = {"id": len(self.threads) + 1, "subject": plan["subject"], "sender": sender, "mids": []}
            self.threads.append(thread)
        thread["mids"].append(plan["mid"])
        thread["last_text"] = body_text[:1200]
        facts = {"index": i, "message_id": plan["mid"], "thread": thread["id"], "reply": reply,
                 "attachment": plan["attach"][0] if plan["attach"] else None,
                 "alternative": plan["alternative"], "size": len(raw)}
        return raw, int(date.timestamp()), facts

    def render(self, plan: dict, budget: int) -> tuple[bytes, str]:
        i, date, thread = plan["i"], plan["date"], plan["thread"]
        rng = random.Random(f"body/{self.seed}/{i}")  # identical choices on each re-render
        name, addr = plan["sender"]
        head = [f"Received: from {rng.choice(['mx1', 'mx2', 'smtp-out'])}.{addr.split('@')[1]} "
                f"(unknown [192.0.2.{rng.randint(1, 254)}]){CRLF}\tby mail.example.test with ESMTPS id "
                f"{rng.getrandbits(40):010X}{CRLF}\tfor <{self.to}>; {format_datetime(date)}",
                f"From: {mailbox(name, addr)}", f"To: Support <{self.to}>"]
        if rng.random() < 0.1:
            cc = self.senders[rng.randrange(len(self.senders))]
            head.append(f"Cc: {mailbox(*cc)}")
        if plan["reply"]:
            subject = f"Re: {thread['subject']} {self.tag.format(id=thread['id'])}"
        else:
            subject = plan["subject"]
        head += [f"Subject: {header_text(subject)}", f"Date: {format_datetime(date)}",
                 f"Message-ID: {plan['mid']}"]
        if plan["reply"]:
            head += [f"In-Reply-To: {thread['mids'][-1]}",
                     "References: " + f"{CRLF} ".join(thread["mids"][-8:])]
        if rng.random() < 0.05:
            head.append("Importance: high")
        head += [f"User-Agent: {rng.choice(CLIENTS)}", "MIME-Version: 1.0"]

        opener = rng.choice(REPLY_OPENERS) if plan["reply"] else rng.choice(GREETINGS)
        closing = f"\n\n{rng.choice(CLOSINGS)},\n{name}\n"
        quote = ""
        if plan["reply"]:
            quoted = fold(thread["last_text"][:max(0, (budget - 1200) // 2)], 66)[:30]
            quote = (f"\n\nOn {format_datetime(date - timedelta(hours=rng.randint(1, 30)))}, "
                     f"Support <{self.to}> wrote:\n" + "\n".join("> " + ln for ln in quoted))
        style = (rng.random(), rng.random(), rng.random())
        where = rng.random()
        note = rng.randint(200, 1500)
        extra = random.Random(f"attach/{self.seed}/{i}")
        overhead = 900 + sum(len(h) for h in head)
        text_size = max(40, budget - overhead)
        attach_size = 0
        if plan["attach"]:  # a short note, the attachment carries the bulk
            text_size, attach_size = min(text_size, note), max(64, text_size - note)
        if plan["alternative"]:
            text_size = text_size * 45 // 100
        core = self.pool.prose(where, max(20, text_size - len(opener) - len(closing) - len(quote)), plan["lang"])
        text = opener + "\n\n" + core + closing + quote

        top = f"=_pd_{self.seed}_{i}"
        plain = text_part(text, style, plan["lang"])
        if plan["alternative"]:
            ctype, body = multipart("alternative", top + "_alt", [plain, html_part(opener + "\n\n" + core + closing)])
        elif plan["attach"]:
            ctype, body = multipart("mixed", top + "_mix",
                                    [plain, attachment_part(extra, plan["attach"], attach_size, i)])
        else:
            ctype, body = plain
        raw = (crlf(head + ctype) + CRLF + body).encode("utf-8")
        return raw, core

    def all(self, count: int):
        for i in range(count):
            yield self.message(i)


# ---------------------------------------------------------------- packs
def write_pack(path: str, messages) -> tuple[int, int]:
    n = total = 0
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        for raw, date, _ in messages:
            f.write(b"%d %d\n" % (len(raw), date))
            f.write(raw)
            n += 1
            total += len(raw)
    os.replace(tmp, path)
    return n, total


def read_pack(path: str, limit: int | None = None):
    with open(path, "rb") as f:
        n = 0
        while limit is None or n < limit:
            n += 1
            line = f.readline()
            if not line:
                return
            size, date = (int(x) for x in line.split())
            raw = f.read(size)
            if len(raw) != size:
                raise SystemExit(f"{path}: truncated pack")
            yield raw, date, None


# ---------------------------------------------------------------- IMAP
class IMAPLink:
    """A minimal IMAP client over one socket: enough to log in, append, expunge and count."""

    def __init__(self, host: str, port: int, user: str, password: str, tls: str = "none",
                 ca_file: str | None = None, timeout: float = 300):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.seq = 0
        if tls == "imaps":
            self.sock = self.context(ca_file).wrap_socket(self.sock, server_hostname=host)
        self.line()  # greeting
        if tls == "starttls":
            self.command("STARTTLS")
            self.sock = self.context(ca_file).wrap_socket(self.sock, server_hostname=host)
        self.caps = set()
        for untagged in self.command("CAPABILITY"):
            if untagged.upper().startswith(b"* CAPABILITY"):
                self.caps = set(untagged.decode().upper().split()[2:])
        self.command(f"LOGIN {quote(user)} {quote(password)}")

    @staticmethod
    def context(ca_file: str | None) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=ca_file)
        ctx.check_hostname = False  # the test certificate names localhost and 127.0.0.1 only
        return ctx

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def tag(self) -> str:
        self.seq += 1
        return f"g{self.seq}"

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def wait(self, tag: str) -> list[bytes]:
        """Untagged lines up to `tag`'s completion; raises unless it is OK."""
        untagged = []
        while True:
            ln = self.line()
            if ln.startswith(tag.encode() + b" "):
                if not ln[len(tag) + 1:].upper().startswith(b"OK"):
                    raise RuntimeError(f"IMAP: {ln.decode(errors='replace')}")
                return untagged
            untagged.append(ln)

    def command(self, text: str) -> list[bytes]:
        t = self.tag()
        self.send(f"{t} {text}\r\n".encode())
        return self.wait(t)

    def select(self, folder: str) -> int:
        exists = 0
        for ln in self.command(f"SELECT {quote(folder)}"):
            m = re.match(rb"\* (\d+) EXISTS", ln)
            if m:
                exists = int(m.group(1))
        return exists

    def append_all(self, folder: str, messages, batch_bytes: int = 4 << 20) -> tuple[int, int]:
        """APPENDs every message; MULTIAPPEND batches when the server allows it."""
        multi = "MULTIAPPEND" in self.caps and "LITERAL+" in self.caps
        n = total = 0
        pending: list[str] = []
        chunk: list[bytes] = []
        size = 0

        def flush():
            nonlocal chunk, size
            if chunk:
                t = self.tag()
                self.send(f"{t} APPEND {quote(folder)}".encode() + b"".join(chunk) + b"\r\n")
                pending.append(t)
                chunk, size = [], 0
            while len(pending) > 1:  # one batch in flight while the next is written
                self.wait(pending.pop(0))

        for raw, date, _ in messages:
            stamp = datetime.fromtimestamp(date, timezone.utc).strftime("%d-%b-%Y %H:%M:%S +0000")
            if multi:
                chunk.append(f' () "{stamp}" {{{len(raw)}+}}\r\n'.encode() + raw)
                size += len(raw)
                if size >= batch_bytes:
                    flush()
            else:
                t = self.tag()
                self.send(f'{t} APPEND {quote(folder)} () "{stamp}" {{{len(raw)}}}\r\n'.encode())
                ln = self.line()
                if not ln.startswith(b"+"):
                    raise RuntimeError(f"IMAP APPEND refused: {ln.decode(errors='replace')}")
                self.send(raw + b"\r\n")
                self.wait(t)
            n += 1
            total += len(raw)
        flush()
        for t in pending:
            self.wait(t)
        return n, total

    def clear(self, folder: str) -> int:
        n = self.select(folder)
        if n:
            self.command("STORE 1:* +FLAGS.SILENT (\\Deleted)")
            self.command("EXPUNGE")
        return n

    def count(self, folder: str) -> int:
        for ln in self.command(f"STATUS {quote(folder)} (MESSAGES)"):
            m = re.search(rb"MESSAGES (\d+)", ln)
            if m:
                return int(m.group(1))
        raise RuntimeError("STATUS gave no MESSAGES")

    def logout(self) -> None:
        try:
            self.command("LOGOUT")
        except (OSError, RuntimeError, ConnectionError):
            pass
        self.sock.close()


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def link(a) -> IMAPLink:
    return IMAPLink(a.host, a.port, a.user, a.password, a.tls, a.ca_file)


# ---------------------------------------------------------------- CLI
def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["pack", "eml", "load", "clear", "count", "stats"])
    p.add_argument("-n", "--count", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tag", default="[#{id}]", help="reply subject tag; {id} is the thread number")
    p.add_argument("--to", default="support@example.test")
    p.add_argument("--pack", help="load: read messages from this pack instead of generating")
    p.add_argument("--limit", type=int, default=None, help="load --pack: only the first LIMIT messages")
    p.add_argument("--out", help="pack: the file; eml: the directory")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("IMAP_PORT", 143)))
    p.add_argument("--tls", choices=["none", "starttls", "imaps"], default="none")
    p.add_argument("--ca-file", default=None)
    p.add_argument("--user", default="support@example.test")
    p.add_argument("--password", default=os.environ.get("PASSWORD", "secret"))
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--clear", action="store_true", help="load: expunge the folder first")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    a = p.parse_args(argv)

    def generated():
        return Mailbag(a.seed, a.count, a.tag, a.to).all(a.count)

    summary: dict = {"command": a.command}
    t0 = time.perf_counter()
    if a.command == "pack":
        if not a.out:
            p.error("pack needs --out FILE")
        summary["messages"], summary["bytes"] = write_pack(a.out, generated())
    elif a.command == "eml":
        if not a.out:
            p.error("eml needs --out DIR")
        os.makedirs(a.out, exist_ok=True)
        n = total = 0
        for raw, _, facts in generated():
            with open(os.path.join(a.out, f"{facts['index']:06d}.eml"), "wb") as f:
                f.write(raw)
            n, total = n + 1, total + len(raw)
        summary["messages"], summary["bytes"] = n, total
    elif a.command == "stats":
        sizes, replies, attached, alternative, non_ascii = [], 0, {}, 0, 0
        for raw, _, facts in generated():
            sizes.append(len(raw))
            non_ascii += not raw.isascii() or b"=?utf-8?" in raw or b"charset=iso-8859-1" in raw \
                or b"charset=utf-8" in raw and b"=C3" in raw
            replies += facts["reply"]
            alternative += facts["alternative"]
            if facts["attachment"]:
                attached[facts["attachment"]] = attached.get(facts["attachment"], 0) + 1
        sizes.sort()
        summary.update(messages=len(sizes), bytes=sum(sizes), min=sizes[0], median=sizes[len(sizes) // 2],
                       max=sizes[-1], replies=replies, alternative=alternative, attachments=attached,
                       non_ascii=non_ascii)
    else:
        imap = link(a)
        try:
            if a.command == "clear" or (a.command == "load" and a.clear):
                summary["cleared"] = imap.clear(a.folder)
            if a.command == "load":
                t1 = time.perf_counter()
                source = read_pack(a.pack, a.limit) if a.pack else generated()
                summary["messages"], summary["bytes"] = imap.append_all(a.folder, source)
                summary["append_s"] = round(time.perf_counter() - t1, 3)
            summary["folder_count"] = imap.count(a.folder)
        finally:
            imap.logout()
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    if a.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for k, v in summary.items():
            print(f"{k:14} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
