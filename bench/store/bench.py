#!/usr/bin/env python3
"""Times postdesk's read commands on a big store (see run.sh): each the median of 5 runs of the
real binary (process start included), beside a baseline measured in the same run: the sqlite3
shell running the core SQL of the same question on the same file (no formatting, no Swift)."""
import os
import sqlite3
import statistics
import subprocess
import sys
import time

TARGETS = {"list": 0.050, "search-common": 0.050, "search-rare": 0.050, "show-200": 0.050, "report-year": 1.0}


def timed(argv, repeat=5):
    runs = []
    out = b""
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        runs.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(f"bench: {' '.join(argv)} exited {p.returncode}: {p.stderr.decode()[:400]}")
        out = p.stdout
    return statistics.median(runs), out


def main():
    db, postdesk = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db)
    tickets = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    messages, raw = con.execute("SELECT COUNT(*), SUM(size) FROM messages").fetchone()
    big = con.execute("SELECT ticket_id FROM messages GROUP BY ticket_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    first, last = con.execute("SELECT MIN(created_at), MAX(created_at) FROM tickets").fetchone()
    con.close()
    size = os.path.getsize(db)
    day = lambda t: time.strftime("%Y-%m-%d", time.gmtime(t))
    cases = [
        ("list", ["tickets", "--status", "open", "--limit", "50"],
         "SELECT number, subject, status, requester, updated_at FROM tickets WHERE status = 'open' ORDER BY number DESC LIMIT 50"),
        ("search-common", ["search", "please"],
         "SELECT rowid FROM search_index WHERE search_index MATCH 'please' ORDER BY rowid DESC LIMIT 20"),
        ("search-rare", ["search", "zanzibarite"],
         "SELECT rowid, rank FROM search_index WHERE search_index MATCH 'zanzibarite' ORDER BY rank LIMIT 20"),
        ("show-200", ["show", str(big)],
         f"SELECT id, direction, from_address, subject, size, created_at FROM messages WHERE ticket_id = {big} ORDER BY id"),
        ("report-year", ["report", "--from", day(first), "--to", day(last), "--by", "month"],
         "SELECT COUNT(*), SUM(m.first_response_at - t.created_at), SUM(m.resolved_at - t.created_at) "
         "FROM tickets t JOIN ticket_metrics m ON m.ticket_id = t.id"),
    ]
    print(f"store: {tickets} tickets, {messages} messages, {size / 1e9:.2f} GB "
          f"({size / messages:.0f} bytes per message; raw mail {raw / messages:.0f} bytes per message, {size / raw:.2f}x)")
    print(f"{'case':<15}{'postdesk ms':>12}{'sqlite3 ms':>12}{'target ms':>11}  verdict")
    for name, args, sql in cases:
        ours, out = timed([postdesk, "--db", db] + args)
        base, _ = timed(["sqlite3", db, sql])
        verdict = "ok" if ours <= TARGETS[name] else "OVER TARGET"
        print(f"{name:<15}{ours * 1000:>12.1f}{base * 1000:>12.1f}{TARGETS[name] * 1000:>11.0f}  {verdict}")
        print(f"figure: store N={tickets} case={name} postdesk_ms={ours * 1000:.1f} sqlite3_ms={base * 1000:.1f}")
    print(f"figure: store N={tickets} bytes_per_message={size / messages:.0f} raw_bytes_per_message={raw / messages:.0f}")


if __name__ == "__main__":
    main()
