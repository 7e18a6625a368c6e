#!/usr/bin/env python3
"""Times one postdesk command for several binaries, each on its own store, in interleaved
rounds (A B C, A B C, ...: a change in the machine's load touches every contender alike), and
checks they print the same thing. Usage:

    compare.py ROUNDS NAME=BINARY:STORE [NAME=BINARY:STORE ...] -- COMMAND ARGS...

e.g. compare.py 7 before=/tmp/postdesk-old:bench/out/store-1000000.v20.db \\
                  after=.build/release/postdesk:bench/out/store-1000000.db -- report --from 2026-01-01 --to 2026-12-31 --by month

Prints each contender's median wall and CPU (user + system) time in ms, and whether the outputs
are identical (lines holding the generation time are left out: `report` prints when it ran;
`--json`'s status ages also move with the clock, so compare the text or CSV forms).
"""
import difflib
import os
import resource
import statistics
import subprocess
import sys
import time


def main():
    split = sys.argv.index("--")
    rounds = int(sys.argv[1])
    contenders = [spec.split("=", 1) for spec in sys.argv[2:split]]
    args = sys.argv[split + 1:]
    times = {name: ([], []) for name, _ in contenders}
    outputs = {}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for _ in range(rounds):
        for name, spec in contenders:
            binary, store = spec.split(":", 1)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            p = subprocess.run([binary, "--db", store] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode != 0:
                sys.exit(f"compare: {name} exited {p.returncode}: {p.stderr.decode()[:400]}")
            times[name][0].append(wall)
            times[name][1].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            outputs[name] = [line for line in p.stdout.decode().splitlines() if not line.startswith("generated") and '"generated"' not in line]
    print(f"{' '.join(args)}: medians of {rounds}, ms")
    for name, (walls, cpus) in times.items():
        print(f"  {name:<12} wall {statistics.median(walls) * 1000:8.1f}   CPU {statistics.median(cpus) * 1000:8.1f}"
              f"   (CPU {min(cpus) * 1000:.1f}-{max(cpus) * 1000:.1f})")
        print(f"figure: compare name={name} wall_ms={statistics.median(walls) * 1000:.1f} cpu_ms={statistics.median(cpus) * 1000:.1f}")
    names = list(outputs)
    if all(outputs[n] == outputs[names[0]] for n in names):
        print("outputs: identical")
    else:
        print("outputs: DIFFER")
        for n in names[1:]:
            print("\n".join(list(difflib.unified_diff(outputs[names[0]], outputs[n], names[0], n, lineterm=""))[:40]))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
