#!/usr/bin/env python3
"""gen_rules.py N [--seed S] [--match-nothing]: a config fragment with N routing rules, as an
operator might write them (subjects, sender domains, headers, text, regular expressions, lists,
combinators), plus the queues, agents and groups they name. Printed as JSON: merge it into a config
(bench/rules/run.sh, bench/intake/run.sh --rules N). Deterministic for a given seed.

--match-nothing: each rule's condition is followed by one no sender meets (`all` evaluates left to
right), so every condition is evaluated and no rule acts: the rules machinery's cost alone, beside
the same rules acting (which also does the work they decide: events, tags, assignment, mail)."""
import json
import random
import sys

WORDS = ["invoice", "refund", "password", "login", "crash", "delivery", "warranty", "upgrade", "cancel", "urgent",
         "billing", "payment", "error", "timeout", "printer", "license", "security", "outage", "report", "question",
         "Rechnung", "счёт", "пароль", "Lieferung", "garantie", "factura", "support", "account", "order", "shipping"]
DOMAINS = ["example.com", "bigcorp.example", "gmail.com", "yahoo.com", "python.org", "lists.debian.org", "apache.org",
           "mozilla.org", "kernel.org", "freebsd.org", "gnu.org", "postgresql.org"]


def condition(rng: random.Random) -> dict:
    kind = rng.randrange(10)
    w = rng.choice(WORDS)
    if kind == 0:
        return {"subject": {"contains": w}}
    if kind == 1:
        return {"from_domain": {"in": rng.sample(DOMAINS, 3)}}
    if kind == 2:
        return {"text": {"contains": w}}
    if kind == 3:
        return {"subject": {"matches": rf"\b{w}\b.*\d+"}}
    if kind == 4:
        return {"header:List-Id": {"contains": rng.choice(DOMAINS).split(".")[0]}}
    if kind == 5:
        return {"all": [{"subject": {"starts_with": w}}, {"not": {"class": {"equals": "auto-reply"}}}]}
    if kind == 6:
        return {"any": [{"from": {"ends_with": "@" + rng.choice(DOMAINS)}}, {"subject": {"contains": w}}]}
    if kind == 7:
        return {"size": {"gt": rng.randrange(10_000, 200_000)}}
    if kind == 8:
        return {"all": [{"has_attachment": True}, {"attachment_name": {"ends_with": rng.choice([".pdf", ".png", ".zip"])}}]}
    return {"arrival": {"weekday": ["sat", "sun"]}}


def action(rng: random.Random, i: int) -> dict:
    kind = rng.randrange(6)
    if kind == 0:
        return {"tags": [f"t{i % 17}"]}
    if kind == 1:
        return {"priority": rng.choice(["low", "high", "urgent"])}
    if kind == 2:
        return {"category": f"cat{i % 11}"}
    if kind == 3:
        return {"queue": rng.choice(["support", "billing"])}
    if kind == 4:
        return {"tags": ["x"], "category": "misc"}
    return {"assign": {"group": "billing", "strategy": rng.choice(["round_robin", "least_open"])}}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    rules = [{"name": f"rule-{i:03d}", "when": condition(rng), "then": action(rng, i)} for i in range(n)]
    if "--match-nothing" in sys.argv:
        for rule in rules:
            rule["when"] = {"all": [rule["when"], {"from": {"equals": "nobody@nowhere.invalid"}}]}
    print(json.dumps({
        "queues": [{"name": "support", "address": "support@example.test"}, {"name": "billing", "address": "billing@example.test"}],
        "agents": [{"email": f"agent{k}@example.test", "groups": ["billing"]} for k in range(4)],
        "groups": ["billing"],
        "rules": rules,
    }, indent=1))


if __name__ == "__main__":
    main()
