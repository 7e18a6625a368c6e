#!/usr/bin/env python3
"""Times postdesk's read commands on a big store (see run.sh and README.md): each the median of 5
runs of the real binary, process start included, beside three baselines measured in the same run:

  start     `postdesk --version`: what any command pays before it reads the store
  sqlite3   the sqlite3 shell running the core SQL of the same question on the same file
            (its own start included: the floor for any separate process that asks it)
  sql       the same SQL inside this process (Python's sqlite3 module, warm connection):
            what the query plan costs, without any process start

Wall time is what a user waits; CPU time (user + system of the child) is what the code costs,
and moves much less when the machine is shared. Usage:

    bench.py STORE POSTDESK [--before OLD_POSTDESK OLD_STORE] [--plans]

--before also times an older binary on its own copy of the store (an older schema), in the same
run, for a before/after table. --plans prints EXPLAIN QUERY PLAN of each baseline query.
"""
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time

TARGETS = {"list": 0.050, "list-due": 0.050, "search-common": 0.050, "search-rare": 0.050, "show-200": 0.050, "report-year": 1.0}
REPEAT = 5


def run_once(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    # communicate() reaped the child; its CPU time is the growth of RUSAGE_CHILDREN.
    return wall, p.returncode, out, err


def timed(argv, repeat=REPEAT):
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, rc, out, err = run_once(argv)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if rc != 0:
            sys.exit(f"bench: {' '.join(argv)} exited {rc}: {err.decode()[:400]}")
        walls.append(wall)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def timed_sql(con, sql, repeat=REPEAT):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def cases(con, day):
    big = con.execute("SELECT ticket_id FROM messages GROUP BY ticket_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    number = con.execute("SELECT number FROM tickets WHERE id = ?", (big,)).fetchone()[0]
    first, last = con.execute("SELECT MIN(created_at), MAX(created_at) FROM tickets").fetchone()
    def fts(word):
        # The shape `search` runs: the newest 5000 matches are ranked and cut to the best 100,
        # only those are joined to their tickets. postdesk ranks with its own postdesk_bm25 (FTS5's
        # formula, a word's document count capped at 20 000); this baseline has only FTS5's rank,
        # which counts every document of the word: the difference is what the cap saves.
        return ("SELECT d.id, d.message_row, s.rank, t.number, t.subject, t.status FROM "
                f"(SELECT rowid, rank FROM (SELECT rowid, rank FROM search_index WHERE search_index MATCH '{word}' "
                "ORDER BY rowid DESC LIMIT 5000) ORDER BY rank, rowid DESC LIMIT 100) s "
                "JOIN search_documents d ON d.id = s.rowid LEFT JOIN messages m ON m.id = d.message_row "
                "LEFT JOIN ticket_events e ON e.id = d.event_id JOIN tickets t ON t.id = COALESCE(m.ticket_id, e.ticket_id) "
                "ORDER BY s.rank, s.rowid DESC")
    return [
        ("list", ["tickets", "--status", "open", "--limit", "50"],
         "SELECT id, number, subject, status, priority, queue, assignee, requester, created_at, updated_at "
         "FROM tickets WHERE status = 'open' ORDER BY number DESC LIMIT 50"),
        ("list-due", ["tickets", "--sort", "due", "--limit", "50"],
         "SELECT t.id, t.number, t.subject, t.status, s.due FROM (SELECT ticket_id, due_at AS due FROM ticket_sla c "
         "INDEXED BY ticket_sla_due WHERE phase = 'running' AND due_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_sla o "
         "WHERE o.ticket_id = c.ticket_id AND o.phase = 'running' AND (o.due_at < c.due_at OR (o.due_at = c.due_at AND o.target < c.target)))) s "
         "JOIN tickets t ON t.id = s.ticket_id WHERE t.merged_into IS NULL ORDER BY s.due, t.number DESC LIMIT 50"),
        ("search-common", ["search", "please"], fts("please")),
        ("search-rare", ["search", "zanzibarite"], fts("zanzibarite")),
        ("show-200", ["show", str(number)],
         f"SELECT id, direction, message_id, sha256, size, from_address, subject, created_at, decision FROM messages "
         f"WHERE ticket_id = {big} ORDER BY id"),
        # Every column the report reads, summed in SQL: the scan without handing a million rows out.
        ("report-year", ["report", "--from", day(first), "--to", day(last), "--by", "month"],
         "SELECT COUNT(*), SUM(first_response_at - created_at), SUM(first_resolved_at), SUM(resolved_at - created_at), "
         "SUM(closed_at), SUM(reopened), SUM(status_key), SUM(status_since), SUM(agent_key), SUM(queue_key), "
         "SUM(domain_key), SUM(category_key), SUM(sla_outcomes) FROM ticket_metrics "
         f"WHERE created_at < {last + 86400} AND (created_at >= {first} OR resolved_at IS NULL OR resolved_at >= {first}) "
         "AND merged = 0"),
    ]


def ensure_sla_clocks(con):
    """gen.py makes no SLA clocks; `tickets --sort due` needs some to sort. Once per store: every
    new, open or pending ticket gets a running first-response clock (due 8 h after it was created)
    and a resolution clock (3 days), as a 24x7 policy would give."""
    if con.execute("SELECT 1 FROM ticket_sla LIMIT 1").fetchone():
        return
    with con:
        for target, seconds in (("first_response", 8 * 3600), ("resolution", 3 * 86400)):
            con.execute(
                "INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, due_at, used_seconds, target_seconds, updated_at) "
                "SELECT id, ?, 'bench', 'running', created_at, created_at + ?, 0, ?, created_at FROM tickets "
                "WHERE status IN ('new', 'open', 'pending')", (target, seconds, seconds))
    print(f"sla: running clocks added: {con.execute('SELECT COUNT(*) FROM ticket_sla').fetchone()[0]}")


def main():
    args = sys.argv[1:]
    plans = "--plans" in args
    args = [a for a in args if a != "--plans"]
    before = None
    if "--before" in args:
        i = args.index("--before")
        before = (args[i + 1], args[i + 2])
        del args[i:i + 3]
    db, postdesk = args[0], args[1]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Pending migrations run first, timed on their own, so no median includes them.
    t = time.perf_counter()
    p = subprocess.run([postdesk, "--db", db, "migrate"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"bench: migrate exited {p.returncode}: {p.stderr.decode()[:400]}")
    applied = [line.split()[1] for line in p.stdout.decode().splitlines() if line.startswith("applied ")]
    if applied:
        print(f"migrate: {time.perf_counter() - t:.1f} s for {', '.join(applied)}")
        print(f"figure: store migrate_s={time.perf_counter() - t:.1f} migrations={','.join(applied)}")

    con = sqlite3.connect(db)
    ensure_sla_clocks(con)
    tickets = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    messages, raw = con.execute("SELECT COUNT(*), SUM(size) FROM messages").fetchone()
    day = lambda t: time.strftime("%Y-%m-%d", time.gmtime(t))
    size = os.path.getsize(db)
    print(f"store: {tickets} tickets, {messages} messages, {size / 1e9:.2f} GB "
          f"({size / messages:.0f} bytes per message; raw mail {raw / messages:.0f} bytes per message, {size / raw:.2f}x)")

    start_wall, start_cpu = timed([postdesk, "--version"])
    print(f"start (postdesk --version): {start_wall * 1000:.1f} ms wall, {start_cpu * 1000:.1f} ms CPU")
    print(f"figure: store N={tickets} case=start postdesk_ms={start_wall * 1000:.1f} postdesk_cpu_ms={start_cpu * 1000:.1f}")
    header = f"{'case':<15}{'wall ms':>9}{'CPU ms':>8}{'start':>7}{'sqlite3':>9}{'sql':>8}{'target':>8}  verdict"
    if before:
        header += f"   {'before wall':>11}{'CPU':>8}"
    print(header)
    for name, argv, sql in cases(con, day):
        if plans:
            for row in con.execute("EXPLAIN QUERY PLAN " + sql):
                print(f"  plan {name}: {row[-1]}")
        wall, cpu = timed([postdesk, "--db", db] + argv)
        shell, _ = timed(["sqlite3", db, sql])
        inproc = timed_sql(con, sql)
        verdict = "ok" if wall <= TARGETS[name] else "OVER TARGET"
        line = (f"{name:<15}{wall * 1000:>9.1f}{cpu * 1000:>8.1f}{start_wall * 1000:>7.1f}{shell * 1000:>9.1f}"
                f"{inproc * 1000:>8.1f}{TARGETS[name] * 1000:>8.0f}  {verdict:<11}")
        figure = (f"figure: store N={tickets} case={name} postdesk_ms={wall * 1000:.1f} postdesk_cpu_ms={cpu * 1000:.1f} "
                  f"start_ms={start_wall * 1000:.1f} sqlite3_ms={shell * 1000:.1f} sql_ms={inproc * 1000:.1f}")
        if before:
            old_wall, old_cpu = timed([before[0], "--db", before[1]] + argv)
            line += f"{old_wall * 1000:>11.1f}{old_cpu * 1000:>8.1f}"
            figure += f" before_ms={old_wall * 1000:.1f} before_cpu_ms={old_cpu * 1000:.1f}"
        print(line)
        print(figure)
    print(f"figure: store N={tickets} bytes_per_message={size / messages:.0f} raw_bytes_per_message={raw / messages:.0f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
