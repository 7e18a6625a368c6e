#!/usr/bin/env python3
"""Rust mailparse baseline for bench/mime/run.sh, through PyPI's fast-mail-parser (which wraps
the mailparse crate): the same files as `postdesk parse --bench`, parsed with
`parse_email(data)` (every text part decoded to str, every attachment decoded to bytes) or with
`mode="lazy"` (text decoded, attachments listed and left encoded). Messages it refuses
(ParseError) are counted and their time stays in the figure."""
import sys, time
from fast_mail_parser import parse_email, ParseError
from cpython_parse import load

def work_full(data):
    m = parse_email(data)
    n = sum(len(t) for t in m.text_plain) + sum(len(t) for t in m.text_html)
    for a in m.attachments:
        n += len(a.content)
    return n

def work_lazy(data):
    m = parse_email(data, mode="lazy")
    n = sum(len(t) for t in m.text_plain) + sum(len(t) for t in m.text_html)
    for a in m.attachments:
        n += a.encoded_size
    return n

def main():
    directory = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    mode = sys.argv[3] if len(sys.argv) > 3 else "full"
    work = work_lazy if mode == "lazy" else work_full
    files = load(directory)
    total = sum(len(f) for f in files)
    refused = 0
    for f in files:
        try:
            work(f)
        except ParseError:
            refused += 1
    cpu0 = time.process_time()
    start = time.perf_counter()
    checksum = 0
    for _ in range(rounds):
        for f in files:
            try:
                checksum += work(f)
            except ParseError:
                pass
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    msgs = len(files) * rounds
    print("mailparse-%s: %d files, %d bytes, %d rounds in %.3f s (cpu %.3f s): %.1f MB/s, %.0f msgs/s, cpu %.1f MB/s, %d refused (checksum %d)"
          % (mode, len(files), total, rounds, secs, cpu, total * rounds / 1e6 / secs, msgs / secs, total * rounds / 1e6 / cpu, refused, checksum))

main()
