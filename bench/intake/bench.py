#!/usr/bin/env python3
"""bench.py: the intake benchmark's driver (run.sh starts the servers and calls this).

For each N: generate N messages (gen.py, fixed seed), load them into the support mailbox, then
measure on that same mail
  raw-stream / raw-imaplib / raw-swift   one `UID FETCH 1:* BODY.PEEK[]` download (median of
                                         --raw-repeat runs); the fastest is the baseline
  postdesk                               `postdesk run --once` on a fresh store (best of
                                         --repeat runs); the store must then hold exactly N
  postdesk-old                           with --compare OLD: that binary, interleaved with the
                                         new one, --repeat rounds; both as medians
  django-helpdesk                        `manage.py get_email` on a fresh database, after the
                                         mailbox is reloaded with the first min(N, --django-max)
                                         of the same messages (it deletes what it imports)
Wall time is measured around the process; peak RSS comes from /usr/bin/time -v.
Prints a table, the ratios and `figure:` lines; writes the results as JSON to --json-out.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


class Env:
    """The servers.env that scripts/mailservers.sh writes."""

    def __init__(self, path: str):
        self.values = {}
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    self.values[k] = v.strip('"')
        self.host = self.values["HOST"]
        self.imap_port = int(self.values["IMAP_PORT"])
        self.password = self.values["PASSWORD"]
        self.ca_file = self.values["CA_FILE"]


def timed(cmd: list[str], workdir: str, name: str, env: dict | None = None,
          timeout: float | None = None) -> dict:
    """Runs cmd under /usr/bin/time -v; wall seconds, peak RSS and exit status."""
    tfile = os.path.join(workdir, f"{name}.time")
    out = open(os.path.join(workdir, f"{name}.out"), "wb")
    err = open(os.path.join(workdir, f"{name}.err"), "wb")
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=out, stderr=err,
                              env=env, timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        status = "timeout"
    seconds = time.perf_counter() - t0
    out.close()
    err.close()
    rss_kb = None
    cpu = 0.0
    if os.path.exists(tfile):
        for line in open(tfile):
            if "Maximum resident set size" in line:
                rss_kb = int(line.rsplit(":", 1)[1])
            elif "User time (seconds)" in line or "System time (seconds)" in line:
                cpu += float(line.rsplit(":", 1)[1])
    # CPU seconds (user + system) of the process: on a shared machine, steadier than wall time.
    return {"seconds": seconds, "cpu_seconds": cpu or None, "rss_mb": rss_kb / 1024 if rss_kb else None, "status": status,
            "stdout": os.path.join(workdir, f"{name}.out"), "stderr": os.path.join(workdir, f"{name}.err")}


def tail(path: str, n: int = 15) -> str:
    try:
        with open(path, "rb") as f:
            return b"".join(f.readlines()[-n:]).decode(errors="replace")
    except OSError:
        return ""


class Bench:
    def __init__(self, a, env: Env):
        self.a, self.env = a, env
        self.results: list[dict] = []
        self.figures: list[dict] = []
        self.comparisons: list[str] = []
        self.user = a.user
        self.tls = a.tls

    # ------------------------------------------------------------ mailbox
    def imap(self) -> gen.IMAPLink:  # set-up traffic: plain text on loopback is enough
        return gen.IMAPLink(self.env.host, self.env.imap_port, self.user, self.env.password, "none")

    def load(self, pack: str, limit: int | None) -> tuple[int, int, float]:
        link = self.imap()
        try:
            link.clear(self.a.folder)
            t0 = time.perf_counter()
            n, total = link.append_all(self.a.folder, gen.read_pack(pack, limit))
            seconds = time.perf_counter() - t0
            count = link.count(self.a.folder)
        finally:
            link.logout()
        if count != n:
            raise SystemExit(f"bench: loaded {n} messages but the folder holds {count}")
        return n, total, seconds

    def folder_count(self) -> int:
        link = self.imap()
        try:
            return link.count(self.a.folder)
        finally:
            link.logout()

    # ------------------------------------------------------------ contenders
    def record(self, name: str, n: int, nbytes: int, run: dict, stored, note: str = "") -> dict:
        r = {"contender": name, "n": n, "bytes": nbytes, "seconds": run["seconds"],
             "msgs_per_s": n / run["seconds"] if run["seconds"] > 0 else None,
             "mb_per_s": nbytes / 1e6 / run["seconds"] if run["seconds"] > 0 else None,
             "rss_mb": run.get("rss_mb"), "stored": stored, "status": run.get("status"), "note": note,
             "cpu_seconds": run.get("cpu_seconds")}
        self.results.append(r)
        log(f"{name} N={n}: {run['seconds']:.3f} s, {r['msgs_per_s'] or 0:.1f} msgs/s, "
            f"peak RSS {r['rss_mb'] or 0:.1f} MB, stored {stored}; {note}")
        return r

    def raw_python(self, client: str, n: int, nbytes: int, workdir: str) -> dict | None:
        runs = []
        for k in range(self.a.raw_repeat):
            port = self.env.imap_port if self.tls != "imaps" else int(self.env.values["IMAPS_PORT"])
            cmd = [sys.executable, os.path.join(HERE, "rawfetch.py"), "--client", client,
                   "--host", self.env.host, "--port", str(port), "--tls", self.tls,
                   "--ca-file", self.env.ca_file, "--user", self.user, "--password", self.env.password]
            run = timed(cmd, workdir, f"raw-{client}-{n}-{k}", timeout=self.a.timeout)
            if run["status"] != 0:
                log(f"raw {client} failed ({run['status']}): {tail(run['stderr'])}")
                return None
            facts = json.loads(open(run["stdout"]).read())
            if facts["messages"] != n or facts["bytes"] != nbytes:
                log(f"raw {client}: got {facts['messages']} messages / {facts['bytes']} bytes, "
                    f"expected {n} / {nbytes}")
            run["seconds"] = facts["seconds"]  # connect to tagged OK, without interpreter start-up
            runs.append((run, facts))
        run, facts = sorted(runs, key=lambda rf: rf[0]["seconds"])[len(runs) // 2]
        return self.record(f"raw-{client}", facts["messages"], facts["bytes"], run, None,
                           f"median of {len(runs)}")

    def raw_swift(self, n: int, nbytes: int, workdir: str) -> dict | None:
        """The Swift transport's own raw download, when the build has one (--swift-raw)."""
        if not self.a.swift_raw:
            return None
        runs = []
        for k in range(self.a.raw_repeat):
            secret = os.path.join(workdir, "imap-password")
            with open(secret, "w") as f:
                f.write(self.env.password + "\n")
            os.chmod(secret, 0o600)
            port = self.env.imap_port if self.tls != "imaps" else int(self.env.values["IMAPS_PORT"])
            cmd = [part.format(host=self.env.host, port=port, user=self.user, password_file=secret,
                               ca_file=self.env.ca_file, folder=self.a.folder, tls=self.tls)
                   for part in self.a.swift_raw.split()]
            run = timed(cmd, workdir, f"raw-swift-{n}-{k}", timeout=self.a.timeout)
            if run["status"] != 0:
                log(f"raw swift failed ({run['status']}): {tail(run['stderr'])}")
                return None
            facts = {}
            try:
                facts = json.loads(open(run["stdout"]).read().strip().splitlines()[-1])
            except (ValueError, IndexError):
                pass
            if "seconds" in facts:
                run["seconds"] = float(facts["seconds"])
            runs.append((run, facts))
        run, facts = sorted(runs, key=lambda rf: rf[0]["seconds"])[len(runs) // 2]
        return self.record("raw-swift", int(facts.get("messages", n)), int(facts.get("bytes", nbytes)),
                           run, None, f"median of {len(runs)}")

    def postdesk_config(self, workdir: str, db: str, rules: int = 0) -> str:
        secret = os.path.join(workdir, "imap-password")
        with open(secret, "w") as f:
            f.write(self.env.password + "\n")
        os.chmod(secret, 0o600)
        scheme_tls = {"none": ("imap", "none"), "starttls": ("imap", "required"), "imaps": ("imaps", None)}
        scheme, tls = scheme_tls[self.tls]
        port = self.env.imap_port if scheme == "imap" else int(self.env.values["IMAPS_PORT"])
        box = {"name": "support", "url": f"{scheme}://{self.env.host}:{port}", "user": self.user,
               "password_file": secret, "folder": self.a.folder, "after_import": "seen"}
        if tls:
            box["tls"] = tls
        if self.tls != "none":
            box["ca_file"] = self.env.ca_file
        config = {"database": db, "state_directory": workdir, "log_level": self.a.postdesk_log_level,
                  "mailboxes": [box], "queues": [{"name": "support", "address": self.user}]}
        if rules:
            # bench/rules/gen_rules.py's rules, with the queues, agents and groups they name.
            gen_rules = os.path.join(HERE, "..", "rules", "gen_rules.py")
            fragment = json.loads(subprocess.run([sys.executable, gen_rules, str(rules)], check=True,
                                                 capture_output=True, text=True).stdout)
            fragment["queues"][0]["address"] = self.user
            config.update(fragment)
        path = os.path.join(workdir, f"postdesk-rules{rules}.json" if rules else "postdesk.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=2)
        return path

    def postdesk_once(self, binary: str, n: int, workdir: str, name: str, k: int, rules: int = 0,
                      env: dict | None = None) -> tuple[dict, str, int | None]:
        """One `run --once` of `binary` on a fresh store; the run, its config and the count stored."""
        db = os.path.join(workdir, f"{name}-{n}-{k}.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        config = self.postdesk_config(workdir, db, rules)
        run = timed([binary, "--config", config, "run", "--once"], workdir, f"{name}-{n}-{k}", env=env,
                    timeout=self.a.timeout)
        stored = tickets = None
        identical = False
        try:
            con = sqlite3.connect(db)
            stored = con.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
            tickets = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
            # Byte-identical, in UID order: the stored digests are the pack's, one for one.
            digests = [row[0] for row in con.execute(
                "SELECT sha256 FROM messages WHERE direction = 'in' ORDER BY id")]
            identical = digests == self.pack_digests
            con.close()
        except sqlite3.Error as e:
            log(f"postdesk store unreadable: {e}")
        run["identical"] = identical
        # The store's size per message (database and log, after the run's last checkpoint).
        size = sum(os.path.getsize(db + x) for x in ("", "-wal") if os.path.exists(db + x))
        run["store_bytes_per_msg"] = size / n if n else None
        if run["status"] != 0 or stored != n:
            log(f"{name} run {k}: exit {run['status']}, stored {stored} of {n}\n{tail(run['stderr'])}")
        run["tickets"] = tickets
        run["stored"] = stored
        log(f"{name} N={n} round {k + 1}: {run['seconds']:.3f} s wall, {run.get('cpu_seconds') or 0:.3f} s CPU, "
            f"peak RSS {run.get('rss_mb') or 0:.1f} MB; load {os.getloadavg()[0]:.2f}")
        return run, config, stored

    def record_postdesk(self, name: str, n: int, nbytes: int, runs: list[dict], pick: str) -> dict:
        """One row for a contender's runs: the best (`pick` = "best") or median ("median") wall
        time, and the least or median CPU beside it."""
        ordered = sorted(runs, key=lambda r: r["seconds"])
        run = dict(ordered[0] if pick == "best" else ordered[len(ordered) // 2])
        stored = run["stored"]
        note = f"{pick} of {len(runs)}" if len(runs) > 1 else ""
        note += f"{'; ' if note else ''}tickets={run['tickets']}"
        cpus = sorted(r["cpu_seconds"] for r in runs if r.get("cpu_seconds"))
        if cpus:
            run["cpu_seconds"] = cpus[0] if pick == "best" else cpus[len(cpus) // 2]
            note += f"; cpu {run['cpu_seconds']:.3f} s ({'least' if pick == 'best' else 'median'} of {len(cpus)})"
        if run.get("store_bytes_per_msg"):
            note += f"; store {run['store_bytes_per_msg']:.0f} B/msg ({nbytes / n:.0f} B/msg of mail)"
        note += "; bytes identical" if all(r["identical"] for r in runs) else "; STORED BYTES DIFFER from the mail loaded"
        if any(r["status"] != 0 for r in runs):
            note += f"; exit {[r['status'] for r in runs]}"
        return self.record(name, n, nbytes, run, stored, note)

    def postdesk(self, n: int, nbytes: int, workdir: str, rules: int = 0, name: str | None = None,
                 env: dict | None = None) -> dict | None:
        runs = []
        name = name or (f"postdesk+rules{rules}" if rules else "postdesk")
        for k in range(self.a.repeat):
            run, config, _ = self.postdesk_once(self.a.postdesk, n, workdir, name, k, rules, env)
            runs.append(run)
            if self.a.profile and k == 0 and env is None:
                self.profile(config, workdir, n, name)
        return self.record_postdesk(name, n, nbytes, runs, "best")

    def postdesk_ab(self, n: int, nbytes: int, workdir: str) -> None:
        """--compare: the old binary and the new one, interleaved (old new, new old, ...) so that
        a change of machine load falls on both alike; medians, and new/old per round."""
        old_runs, new_runs = [], []
        for k in range(self.a.repeat):
            order = [("postdesk-old", self.a.compare, old_runs), ("postdesk", self.a.postdesk, new_runs)]
            for name, binary, runs in (order if k % 2 == 0 else order[::-1]):
                run, _, _ = self.postdesk_once(binary, n, workdir, name, k)
                runs.append(run)
        self.record_postdesk("postdesk-old", n, nbytes, old_runs, "median")
        self.record_postdesk("postdesk", n, nbytes, new_runs, "median")
        walls = [b["seconds"] / a["seconds"] for a, b in zip(old_runs, new_runs)]
        cpus = [b["cpu_seconds"] / a["cpu_seconds"] for a, b in zip(old_runs, new_runs)
                if a.get("cpu_seconds") and b.get("cpu_seconds")]
        fmt = lambda xs: " ".join(f"{(x - 1) * 100:+.1f}" for x in xs)
        self.comparisons.append(
            f"ratio: N={n} postdesk (new) vs postdesk-old, per round: wall {fmt(walls)} %; cpu {fmt(cpus)} %; "
            f"median wall {(statistics.median(walls) - 1) * 100:+.1f} %, median cpu "
            f"{(statistics.median(cpus) - 1) * 100 if cpus else 0:+.1f} % ({len(walls)} interleaved rounds)")

    def profile(self, config: str, workdir: str, n: int, name: str = "postdesk") -> None:
        """One extra run under `perf record` (call graphs), summarised into workdir."""
        if not shutil.which("perf"):
            log("perf not installed; no profile")
            return
        db = json.load(open(config))["database"]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        data = os.path.join(workdir, f"perf-{name}-{n}.data")
        subprocess.run(["perf", "record", "-g", "-F", "999", "-o", data, "--", self.a.postdesk, "--config",
                        config, "run", "--once"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = os.path.join(workdir, f"perf-{name}-{n}.txt")
        # Inclusive ("children") percentages by symbol, demangled: where the time goes, top down.
        perf = subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "symbol", "--stdio",
                               "-g", "none", "--percent-limit", "1.5"], capture_output=True, text=True)
        text = perf.stdout
        if shutil.which("swift"):
            text = subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True,
                                  text=True).stdout or text
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
                 and not any(w in ln for w in ("closure #", "thunk", "partial apply", "protocol witness"))]
        with open(report, "w") as f:
            f.write("\n".join(lines) + "\n")
        log(f"profile of {name} run --once, N={n} (inclusive %, top 40; all in {report}):")
        for ln in lines[:40]:
            print("  " + ln[:160], file=sys.stderr)

    def django(self, pack: str, n: int, workdir: str) -> dict | None:
        if self.a.django_max == 0 or not self.a.django_python:
            return None
        m = min(n, self.a.django_max) if self.a.django_max > 0 else n
        loaded, nbytes, _ = self.load(pack, m)
        site = os.path.join(HERE, "django")
        db = os.path.join(workdir, f"django-{n}.sqlite3")
        media = os.path.join(workdir, f"django-media-{n}")
        shutil.rmtree(media, ignore_errors=True)
        env = dict(os.environ, BENCH_DJANGO_DB=db, BENCH_DJANGO_MEDIA=media, PYTHONDONTWRITEBYTECODE="1")
        template = os.path.join(workdir, "django-template.sqlite3")
        if not os.path.exists(template):  # migrate once; each run starts from a copy
            env_t = dict(env, BENCH_DJANGO_DB=template)
            for cmd in ([self.a.django_python, "manage.py", "migrate", "-v0"],
                        [self.a.django_python, "setup_queue.py", self.env.host, str(self.env.imap_port),
                         self.user, self.env.password, self.a.folder]):
                proc = subprocess.run(cmd, cwd=site, env=env_t, capture_output=True, text=True)
                if proc.returncode != 0:
                    log(f"django set-up failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
                    return None
        shutil.copyfile(template, db)
        cmd = [self.a.django_python, "manage.py", "get_email"]
        old = os.getcwd()
        os.chdir(site)
        try:
            run = timed(cmd, workdir, f"django-{n}", env=env, timeout=self.a.django_timeout)
        finally:
            os.chdir(old)
        con = sqlite3.connect(db)
        tickets = con.execute("SELECT COUNT(*) FROM helpdesk_ticket").fetchone()[0]
        followups = con.execute("SELECT COUNT(*) FROM helpdesk_followup").fetchone()[0]
        con.close()
        left = self.folder_count()
        note = f"tickets={tickets} left_in_mailbox={left}"
        if m < n:
            note += f"; capped at --django-max {m} of {n}"
        if run["status"] != 0:
            note += f"; exit {run['status']}"
            log(f"django get_email: exit {run['status']}\n{tail(run['stderr'])}")
        if run["status"] == "timeout":
            note += " (timed out: counted what it took in)"
        # One follow-up per message taken in, whether it opened a ticket or joined one.
        return self.record("django-helpdesk", m if run["status"] == 0 else followups, nbytes, run,
                           followups, note)

    # ------------------------------------------------------------ one N
    def run_n(self, n: int) -> None:
        workdir = os.path.join(self.a.workdir, f"n{n}")
        os.makedirs(workdir, exist_ok=True)
        pack = os.path.join(self.a.workdir, f"mail-{n}-seed{self.a.seed}.pack")
        if not os.path.exists(pack):
            t0 = time.perf_counter()
            gen.write_pack(pack, gen.Mailbag(self.a.seed, n).all(n))
            log(f"generated {n} messages in {time.perf_counter() - t0:.1f} s")
        self.pack_digests = [hashlib.sha256(raw).hexdigest() for raw, _, _ in gen.read_pack(pack)]
        loaded, nbytes, seconds = self.load(pack, None)
        log(f"N={n}: loaded {loaded} messages, {nbytes / 1e6:.1f} MB in {seconds:.1f} s")
        before = len(self.results)
        for client in ("stream", "imaplib"):
            self.raw_python(client, n, nbytes, workdir)
        self.raw_swift(n, nbytes, workdir)
        if self.a.postdesk and self.a.compare:
            self.postdesk_ab(n, nbytes, workdir)
        elif self.a.postdesk:
            self.postdesk(n, nbytes, workdir)
        if self.a.postdesk:
            if self.a.rules:
                # Runs resume on a fresh store, so the mailbox is read again from the start.
                self.postdesk(n, nbytes, workdir, rules=self.a.rules)
            if self.a.software_sha:
                # The same binary with the Swift SHA-256 instead of the CPU's instructions.
                self.postdesk(n, nbytes, workdir, name="postdesk-swsha", env=dict(os.environ, POSTDESK_SHA256="software"))
        self.django(pack, n, workdir)
        self.summarise(n, self.results[before:])

    def idle_latency(self, k: int) -> None:
        """`postdesk run` listening with IDLE (poll_interval 300) on an emptied folder; K messages sent
        one at a time through Postfix. Per message: SMTP accepted -> file in the maildir (the mail
        servers' own delivery) and SMTP accepted -> stored by postdesk (a ticket, in one transaction)."""
        import smtplib
        workdir = os.path.join(self.a.workdir, "idle")
        os.makedirs(workdir, exist_ok=True)
        link = self.imap()
        try:
            link.clear(self.a.folder)
        finally:
            link.logout()
        db = os.path.join(workdir, "idle.db")
        config = self.postdesk_config(workdir, db)
        with open(config) as f:
            c = json.load(f)
        c["poll_interval"] = 300
        with open(config, "w") as f:
            json.dump(c, f, indent=2)
        local, domain = self.user.split("@")
        maildir = os.path.join(os.path.dirname(self.a.servers_env), "mail", domain, local, "Maildir")
        def delivered() -> int:
            return sum(len(os.listdir(os.path.join(maildir, d))) for d in ("new", "cur") if os.path.isdir(os.path.join(maildir, d)))
        err = open(os.path.join(workdir, "run.err"), "wb")
        proc = subprocess.Popen([self.a.postdesk, "--config", config, "run"], stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.time() + 60
            while time.time() < deadline and b"event=mailbox.idle " not in open(os.path.join(workdir, "run.err"), "rb").read():
                time.sleep(0.05)
            con = None
            while con is None and time.time() < deadline:
                try:
                    con = sqlite3.connect(db)
                    con.execute("SELECT COUNT(*) FROM messages").fetchone()
                except sqlite3.Error:
                    con = None
                    time.sleep(0.05)
            smtp = smtplib.SMTP(self.env.host, int(self.env.values["SMTP_PORT"]), timeout=30)
            to_maildir, to_ticket = [], []
            for i in range(k):
                base = delivered()
                msg = (f"From: Latency {i} <lat{i}@customer.test>\r\nTo: {self.user}\r\nSubject: latency probe {i}\r\n"
                       f"Message-ID: <lat-{i}-{time.time_ns()}@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n"
                       f"probe {i}\r\n")
                smtp.sendmail(f"lat{i}@customer.test", [self.user], msg.encode())
                t0 = time.perf_counter()
                seen_file = seen_row = None
                while seen_row is None and time.perf_counter() - t0 < 30:
                    if seen_file is None and delivered() > base:
                        seen_file = time.perf_counter() - t0
                    if con.execute("SELECT COUNT(*) FROM messages WHERE direction = 'in'").fetchone()[0] > i:
                        seen_row = time.perf_counter() - t0
                        if seen_file is None:
                            seen_file = seen_row
                    time.sleep(0.002)
                if seen_row is None:
                    log(f"idle latency: message {i} not stored within 30 s\n{tail(os.path.join(workdir, 'run.err'))}")
                    break
                to_maildir.append(seen_file)
                to_ticket.append(seen_row)
            smtp.quit()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            err.close()
        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000
        if not to_ticket:
            return
        after = [t - m for t, m in zip(to_ticket, to_maildir)]
        self.idle_figure = (f"figure: idle latency K={len(to_ticket)} smtp_to_stored_p50_ms={pct(to_ticket, .5):.0f} "
                            f"p99_ms={pct(to_ticket, .99):.0f} smtp_to_maildir_p50_ms={pct(to_maildir, .5):.0f} "
                            f"p99_ms={pct(to_maildir, .99):.0f} maildir_to_stored_p50_ms={pct(after, .5):.0f} "
                            f"p99_ms={pct(after, .99):.0f} (poll_interval 300)")
        print(self.idle_figure, flush=True)

    def big_message(self, megabytes: int) -> None:
        """One message of about `megabytes` MB (a text part and one base64 attachment of 3/4 of it),
        taken by `postdesk run --once` on a fresh store: peak RSS against the message's size."""
        import base64
        workdir = os.path.join(self.a.workdir, "big")
        os.makedirs(workdir, exist_ok=True)
        payload = os.urandom(megabytes * 1024 * 1024 * 3 // 4)
        encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
        raw = (b"From: Big <big@customer.test>\r\nTo: support@example.test\r\nSubject: big export\r\n"
               b"Message-ID: <big-1@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
               b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
               b"--b\r\nContent-Type: application/octet-stream; name=export.bin\r\nContent-Transfer-Encoding: base64\r\n"
               b"Content-Disposition: attachment; filename=export.bin\r\n\r\n" + encoded + b"--b--\r\n")
        link = self.imap()
        try:
            link.clear(self.a.folder)
            link.append_all(self.a.folder, [(raw, time.time(), None)])
        finally:
            link.logout()
        db = os.path.join(workdir, "big.db")
        config = self.postdesk_config(workdir, db)
        run = timed([self.a.postdesk, "--config", config, "run", "--once"], workdir, "big", timeout=self.a.timeout)
        size_mb = len(raw) / (1024 * 1024)
        rss = run["rss_mb"] or 0
        self.big_figure = (f"figure: big message {size_mb:.1f} MB (attachment {len(payload) / 1048576:.1f} MB) "
                           f"postdesk peak_rss_mb={rss:.0f} = {rss / size_mb:.1f}x the message "
                           f"(target <= 2x + 30 MB = {2 * size_mb + 30:.0f} MB) seconds={run['seconds']:.2f} exit={run['status']}")
        print(self.big_figure, flush=True)

    def summarise(self, n: int, rows: list[dict]) -> None:
        raws = [r for r in rows if r["contender"].startswith("raw-") and r["msgs_per_s"]]
        base = max(raws, key=lambda r: r["msgs_per_s"]) if raws else None
        pd = next((r for r in rows if r["contender"] == "postdesk"), None)
        dj = next((r for r in rows if r["contender"] == "django-helpdesk"), None)
        fig = {"n": n, "baseline": base["contender"] if base else None,
               "raw_msgs_per_s": base["msgs_per_s"] if base else None,
               "postdesk_msgs_per_s": pd["msgs_per_s"] if pd else None,
               "django_msgs_per_s": dj["msgs_per_s"] if dj else None}
        if pd and dj and dj["msgs_per_s"]:
            fig["postdesk_vs_django"] = pd["msgs_per_s"] / dj["msgs_per_s"]
        if pd and base:
            fig["postdesk_vs_raw"] = pd["msgs_per_s"] / base["msgs_per_s"]
        old = next((r for r in rows if r["contender"] == "postdesk-old"), None)
        if old and base:
            fig["old_vs_raw"] = old["msgs_per_s"] / base["msgs_per_s"]
        self.figures.append(fig)

    def report(self) -> None:
        head = f"{'contender':16} {'N':>6} {'seconds':>9} {'msgs/s':>9} {'MB/s':>8} {'peak RSS MB':>11} {'stored':>7}  note"
        print()
        print(head)
        print("-" * len(head))
        for r in self.results:
            f = lambda v, fmt: (fmt % v) if isinstance(v, (int, float)) else "-"
            print(f"{r['contender']:16} {r['n']:>6} {f(r['seconds'], '%9.3f')} {f(r['msgs_per_s'], '%9.1f')} "
                  f"{f(r['mb_per_s'], '%8.2f')} {f(r['rss_mb'], '%11.1f')} {f(r['stored'], '%7d')}  {r['note']}")
        print()
        for fig in self.figures:
            parts = [f"N={fig['n']}"]
            if "postdesk_vs_django" in fig:
                ok = "meets" if fig["postdesk_vs_django"] >= 20 else "misses"
                parts.append(f"postdesk/django msgs/s = {fig['postdesk_vs_django']:.1f}x (target >= 20x: {ok})")
            if "postdesk_vs_raw" in fig:
                ok = "meets" if fig["postdesk_vs_raw"] >= 0.5 else "misses"
                parts.append(f"postdesk/raw ({fig['baseline']}) = {fig['postdesk_vs_raw'] * 100:.0f} % "
                             f"(target >= 50 %: {ok})")
            if "old_vs_raw" in fig:
                parts.append(f"postdesk-old/raw = {fig['old_vs_raw'] * 100:.0f} %")
            print("ratio: " + "; ".join(parts))
        # Each postdesk variant beside plain postdesk at the same N (e.g. routing rules' cost).
        for r in self.results:
            base = next((b for b in self.results if b["contender"] == "postdesk" and b["n"] == r["n"]), None)
            if base is None or r is base or not r["contender"].startswith("postdesk+"):
                continue
            wall = (r["seconds"] / base["seconds"] - 1) * 100
            line = f"ratio: N={r['n']} {r['contender']} vs postdesk: wall {wall:+.1f} %"
            if r.get("cpu_seconds") and base.get("cpu_seconds"):
                line += f", cpu {(r['cpu_seconds'] / base['cpu_seconds'] - 1) * 100:+.1f} %"
            print(line)
        for line in self.comparisons:
            print(line)
        print()
        for fig in self.figures:
            g = lambda k: f"{fig[k]:.1f}" if fig.get(k) is not None else "-"
            print(f"figure: intake N={fig['n']} postdesk_msgs_per_s={g('postdesk_msgs_per_s')} "
                  f"raw_msgs_per_s={g('raw_msgs_per_s')} django_msgs_per_s={g('django_msgs_per_s')}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    p.add_argument("--servers-env", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--postdesk", help="the postdesk binary (release build)")
    p.add_argument("--compare", metavar="OLD_BINARY",
                   help="A/B: also run this postdesk binary, interleaved with --postdesk, --repeat rounds")
    p.add_argument("--swift-raw", help="command template of the Swift raw download "
                   "({host} {port} {user} {password} {ca_file} {folder} {tls} {config})")
    p.add_argument("--django-python", help="python of the venv with django-helpdesk 2.6.1")
    p.add_argument("--django-max", type=int, default=-1,
                   help="give django-helpdesk at most this many messages (-1: all, 0: skip it)")
    p.add_argument("--django-timeout", type=float, default=3600)
    p.add_argument("--timeout", type=float, default=1800, help="seconds allowed to each other run")
    p.add_argument("--repeat", type=int, default=1, help="postdesk runs per N (best is reported)")
    p.add_argument("--raw-repeat", type=int, default=3, help="raw downloads per client (median)")
    p.add_argument("--profile", action="store_true", help="one more postdesk run under perf record")
    p.add_argument("--postdesk-log-level", default="info")
    p.add_argument("--tls", choices=["none", "starttls", "imaps"], default="starttls")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rules", type=int, default=0, help="also run postdesk with N generated routing rules")
    p.add_argument("--user", default="support@example.test")
    p.add_argument("--folder", default="INBOX")
    p.add_argument("--json-out")
    p.add_argument("--software-sha", action="store_true",
                   help="also run postdesk with POSTDESK_SHA256=software (the Swift SHA-256) as postdesk-swsha")
    p.add_argument("--idle-latency", type=int, default=0, metavar="K",
                   help="deliver K single messages through Postfix to a running postdesk (IDLE, poll_interval 300) "
                        "and report delivery-to-ticket latency p50/p99 beside the server's own delivery time")
    p.add_argument("--big-message", type=int, default=0, metavar="MB",
                   help="then one message of about MB megabytes through postdesk run --once: peak RSS")
    a = p.parse_args(argv)
    b = Bench(a, Env(a.servers_env))
    for n in a.counts:
        if n > 0:  # 0: no backlog runs (e.g. --big-message alone)
            b.run_n(n)
    if a.idle_latency and a.postdesk:
        b.idle_latency(a.idle_latency)
    if a.big_message and a.postdesk:
        b.big_message(a.big_message)
    b.report()
    for line in (getattr(b, "idle_figure", None), getattr(b, "big_figure", None)):
        if line:
            print(line)
    if a.json_out:
        os.makedirs(os.path.dirname(os.path.abspath(a.json_out)), exist_ok=True)
        with open(a.json_out, "w") as f:
            json.dump({"results": b.results, "figures": b.figures, "argv": sys.argv[1:],
                       "loadavg": os.getloadavg()}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
