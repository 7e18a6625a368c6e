#!/usr/bin/env python3
"""CPython baseline for bench/mime/run.sh: the same files, the same per-message work
(parse with policy=default, get_body() text, walk attachments and decode them)."""
import email, email.policy, os, sys, time

def load(directory):
    """Every .eml under `directory`, in a stable order (shared with mailparse_parse.py)."""
    files = []
    for root, _, names in os.walk(directory):
        for n in sorted(names):
            if n.endswith(".eml"):
                with open(os.path.join(root, n), "rb") as f:
                    files.append(f.read())
    return files

def work(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    n = 0
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
        if body is not None:
            n += len(body.get_content())
    except Exception:
        pass
    for part in msg.walk():
        try:
            if part.is_attachment():
                payload = part.get_payload(decode=True)
                n += len(payload or b"")
        except Exception:
            pass
    return n

def main():
    directory = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = load(directory)
    total = sum(len(f) for f in files)
    for f in files:
        work(f)
    cpu0 = time.process_time()
    start = time.perf_counter()
    checksum = 0
    for _ in range(rounds):
        for f in files:
            checksum += work(f)
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    msgs = len(files) * rounds
    print("cpython: %d files, %d bytes, %d rounds in %.3f s (cpu %.3f s): %.1f MB/s, %.0f msgs/s, cpu %.1f MB/s (checksum %d)"
          % (len(files), total, rounds, secs, cpu, total * rounds / 1e6 / secs, msgs / secs, total * rounds / 1e6 / cpu, checksum))

if __name__ == "__main__":
    main()
