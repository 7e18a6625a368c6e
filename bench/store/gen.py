#!/usr/bin/env python3
"""Generates a postdesk store of N tickets and about 3N messages over one year, for bench/store.

The schema is postdesk's own (run `postdesk --db FILE migrate` first); rows go in with the
triggers active, so ticket_metrics and message_daily are what the daemon would have made, and
inbound messages are indexed for search as the intake indexes them (subject + text).

Shape: tickets created over 365 days (weekday-heavy, office-hours-heavy); 1 to 12 messages each
(about 3 on average: customer mail, agent replies, acknowledgements), realistic raw sizes
(headers of a delivered mail, 40-250 words of text); one ticket with 200 messages; 25 agents;
requester domains Zipf-like; about 4 % of tickets still open. A common word ("please") is in
about half the messages, a rare one ("zanzibarite") in five.
"""
import random
import sqlite3
import sys
import time

YEAR = 365 * 86400
START = 1_767_225_600  # 2026-01-01T00:00:00Z

WORDS = ("the a to and of is it in my we you for on not with this that be have are printer "
         "invoice account password login error screen email order delivery refund vpn network slow "
         "broken again since yesterday today cannot works does help thanks regards update install "
         "version server office laptop phone battery license renewal payment card address change "
         "report attached see below question issue problem urgent soon monday friday").split()
AGENTS = [f"agent{i:02d}@desk.example" for i in range(25)]


POOL = []


def body(rng, n_words, extra=()):
    # Texts come from a pool of 20 000 (made once): drawing 150 words per message for 3 million
    # messages would take the generator an hour. Sizes and word mix stay as drawn.
    if not extra:
        if len(POOL) < 20000:
            POOL.append(body(rng, n_words, ("",)).replace(" \n", "\n").replace("  ", " "))
            return POOL[-1]
        return POOL[rng.randrange(len(POOL))]
    words = [rng.choice(WORDS) for _ in range(n_words)]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words) + 1), "please")
    for w in (w for w in extra if w):
        words.insert(rng.randrange(len(words) + 1), w)
    lines, line = [], []
    for w in words:
        line.append(w)
        if len(line) >= 12:
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines).capitalize() + "\n"


def rfc2822(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))


def raw(sender, subject, t, mid, text):
    head = (f"Return-Path: <{sender}>\r\n"
            f"Received: from mx.example.net (mx.example.net [192.0.2.1]) by mail.desk.example with ESMTPS id {mid[:12]};\r\n"
            f"\t{rfc2822(t)}\r\n"
            f"From: {sender}\r\nTo: support@desk.example\r\nSubject: {subject}\r\nDate: {rfc2822(t)}\r\n"
            f"Message-ID: <{mid}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\n")
    return (head + text.replace("\n", "\r\n")).encode()


def created_times(rng, n):
    out = []
    while len(out) < n:
        t = START + rng.randrange(YEAR)
        day = (t // 86400 + 3) % 7  # 0 = Monday
        hour = t % 86400 // 3600
        if (day >= 5 and rng.random() < 0.7) or ((hour < 7 or hour > 19) and rng.random() < 0.6):
            continue
        out.append(t)
    out.sort()
    return out


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    rng = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    domains = [f"customer{i}.example" for i in range(20000)]
    rare = set(rng.sample(range(n), 5))
    big = n // 2
    times = created_times(rng, n)
    end = START + YEAR
    msg_id = doc_id = event_id = outbox_id = 0
    raw_bytes = 0
    began = time.time()
    db.execute("BEGIN")
    for i, created in enumerate(times):
        number = i + 1
        domain = domains[min(int(rng.paretovariate(1.1)) - 1, len(domains) - 1)] if rng.random() < 0.8 else rng.choice(domains)
        requester = f"user{rng.randrange(1000)}@{domain}"
        subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))).capitalize()
        agent = rng.choice(AGENTS)
        age = end - created
        still_open = rng.random() < 0.04 or age < 2 * 86400 and rng.random() < 0.5
        n_msgs = 200 if i == big else max(1, min(12, int(rng.expovariate(1 / 2.2)) + 1))
        db.execute("INSERT INTO tickets (id, number, subject, status, priority, queue, assignee, requester, created_at, updated_at)"
                   " VALUES (?, ?, ?, 'new', 'normal', ?, NULL, ?, ?, ?)",
                   (number, number, subject, "support" if rng.random() < 0.8 else "billing", requester, created, created))
        event_id += 1
        events = [(event_id, number, None, "create", None, None, "new", requester, None, created)]
        t = created
        first_reply = None
        for k in range(n_msgs):
            msg_id += 1
            from_agent = k % 2 == 1
            sender = agent if from_agent else requester
            extra = ("zanzibarite",) if (i in rare and k == 0) else ()
            text = body(rng, rng.randint(40, 250), extra)
            mid = f"{msg_id:x}.{number}@{'desk.example' if from_agent else domain}"
            data = raw(sender, subject if k == 0 else f"Re: [#{number}] {subject}", t, mid, text)
            raw_bytes += len(data)
            db.execute("INSERT INTO messages (id, ticket_id, direction, message_id, sha256, size, raw, from_address, subject, sent_at, created_at, decision)"
                       " VALUES (?, ?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (msg_id, number, mid, f"{msg_id:064x}", len(data), data, sender, subject, t, t,
                        "new: no ticket reference" if k == 0 else f"join: tag [#{number}] with token"))
            doc_id += 1
            db.execute("INSERT INTO search_documents (id, message_row, created_at) VALUES (?, ?, ?)", (doc_id, msg_id, t))
            db.execute("INSERT INTO search_index (rowid, subject, body) VALUES (?, ?, ?)", (doc_id, subject, text))
            event_id += 1
            events.append((event_id, number, msg_id, "correspond", None, None, None, sender, None, t))
            if from_agent and first_reply is None:
                first_reply = t
                outbox_id += 1
                db.execute("INSERT INTO outbox (id, ticket_id, message_row, kind, mail_from, recipients, raw, status, attempts,"
                           " next_attempt_at, created_at, sent_at) VALUES (?, ?, ?, 'reply', 'support@desk.example', ?, ?, 'sent', 1, ?, ?, ?)",
                           (outbox_id, number, msg_id, requester, data, t, t, t))
            t += int(rng.expovariate(1 / (6 * 3600))) + 60
            if i == big:
                t = created + (k + 1) * 600
        if k >= 1:
            event_id += 1
            events.append((event_id, number, None, "assignee", "assignee", None, agent, agent, None, first_reply or t))
        status_changes = []
        if not still_open and t < end:
            status_changes.append(("new", "resolved", t))
            if rng.random() < 0.06:  # reopened, then resolved again
                status_changes += [("resolved", "open", t + 3600), ("open", "resolved", t + 7200)]
            if end - t > 14 * 86400:
                status_changes.append(("resolved", "closed", t + 14 * 86400))
        elif rng.random() < 0.3:
            status_changes.append(("new", "pending", t))
        elif n_msgs > 1:
            status_changes.append(("new", "open", first_reply or t))
        for old, new, at in status_changes:
            event_id += 1
            events.append((event_id, number, None, "status", "status", old, new, agent, None, at))
        db.executemany("INSERT INTO ticket_events (id, ticket_id, message_row, type, field, old_value, new_value, actor, reason, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        final = status_changes[-1][1] if status_changes else "new"
        db.execute("UPDATE tickets SET status = ?, assignee = ?, updated_at = ? WHERE id = ?",
                   (final, agent if n_msgs > 1 else None, max(t, status_changes[-1][2] if status_changes else t), number))
        if number % 20000 == 0:
            db.execute("COMMIT")
            db.execute("BEGIN")
            rate = number / (time.time() - began)
            print(f"gen: {number} tickets, {msg_id} messages, {rate:.0f} tickets/s", file=sys.stderr, flush=True)
    db.execute("UPDATE search_backfill SET next_message_row = last_message_row + 1")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    print(f"tickets={n} messages={msg_id} raw_bytes={raw_bytes} big_ticket={big + 1} seconds={time.time() - began:.0f}")


if __name__ == "__main__":
    main()
