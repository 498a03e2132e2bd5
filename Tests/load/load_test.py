"""Scripts/load-test: many keep-alive clients mixing searches, account cards and sheets against `guichet serve` on
127.0.0.1 while `guichet import` replaces 100,000 accounts in the same database. Passes when no request failed (no
transport error, no 5xx, no unexpected status), the import succeeded, the journal verifies, and it holds exactly
one row per action the clients saw succeed, kind by kind. See Scripts/load-test for the options."""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections import Counter
from urllib.parse import quote

from guichet_client import (GUICHET, PASSWORD, Client, Daemon, guichet, journal_counts, prepare,
                            step, verify_journal)


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=4, help="the daemon's worker threads")
    parser.add_argument("--import-after", type=float, default=2.0, help="seconds of load before the import starts")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="guichet-load-")
    try:
        step(f"Load test: {args.connections} connections for {args.seconds:.0f} s, {args.accounts} accounts "
             f"re-imported meanwhile ({work})")
        old_csv, new_csv, db = prepare(work, args.accounts, "load.sqlite3", "load-test")
        with sqlite3.connect(db) as c:
            people = c.execute("SELECT login, first_name, last_name FROM account ORDER BY random() LIMIT 5000").fetchall()
        before = journal_counts(db)

        daemon = Daemon(db, os.path.join(work, "serve.log"), threads=args.threads)
        clients = [Client(daemon.port, "agent") for _ in range(args.connections)]
        lock = threading.Lock()
        succeeded = Counter()
        latencies = {"search": [], "card": [], "sheet": []}
        failures = []
        start = time.time()
        deadline = start + args.seconds

        def worker(client, seed):
            rng = random.Random(seed)
            while time.time() < deadline:
                login, first, last = rng.choice(people)
                roll = rng.random()
                if roll < 0.6:
                    kind = "search"
                    text = rng.choice([last[:3], f"{first} {last}", f"{last[:4]} {first[:2]}", login, first[:5]])
                    method, path, body, ok = "GET", "/api/v1/accounts?q=" + quote(text), None, 200
                elif roll < 0.9:
                    kind, method, path, body, ok = "card", "GET", "/api/v1/accounts/" + quote(login), None, 200
                else:
                    kind, method, path, body, ok = ("sheet", "POST", f"/api/v1/accounts/{quote(login)}/sheet",
                                                    {"idCheck": "cni", "recipient": "self"}, 200)
                t0 = time.time()
                try:
                    status, _, payload = client.request(method, path, body)
                except Exception as e:   # a transport error is a failure
                    with lock:
                        failures.append(f"{kind} {path}: {type(e).__name__}: {e}")
                    continue
                elapsed = time.time() - t0
                with lock:
                    latencies[kind].append(elapsed)
                    if status == ok:
                        succeeded[kind] += 1
                    elif kind == "sheet" and status == 409 and b'"account-gone"' in payload:
                        # The re-import took the account out of the export: its sheet is refused by design.
                        succeeded["sheet-refused-gone"] += 1
                    else:
                        failures.append(f"{kind} {path}: {status} {payload[:160]!r}")

        threads = [threading.Thread(target=worker, args=(c, k)) for k, c in enumerate(clients)]
        for t in threads:
            t.start()
        time.sleep(args.import_after)
        step("Importing the new export while the clients run")
        t0 = time.time()
        importing = subprocess.run([GUICHET, "import", "--db", db, "--staff", "load-test", new_csv],
                                   capture_output=True, text=True)
        import_seconds = time.time() - t0
        for t in threads:
            t.join()
        elapsed = time.time() - start
        for c in clients:
            c.close()
        daemon.kill(signal.SIGTERM)

        problems = []
        if importing.returncode != 0:
            problems.append(f"the import failed: {importing.stderr.strip()[-300:]}")
        all_latencies = [x for v in latencies.values() for x in v]
        total = len(all_latencies)
        step(f"{total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s), import {import_seconds:.1f} s; "
             f"p50 {percentile(all_latencies, 50) * 1000:.1f} ms, p99 {percentile(all_latencies, 99) * 1000:.1f} ms, "
             f"max {max(all_latencies, default=0) * 1000:.0f} ms")
        for kind, values in latencies.items():
            print(f"  {kind:6} {len(values):7} requests, {succeeded[kind]:7} succeeded, p50 {percentile(values, 50) * 1000:7.1f} ms, "
                  f"p99 {percentile(values, 99) * 1000:7.1f} ms")
        if failures:
            problems.append(f"{len(failures)} failed requests, e.g. {failures[:3]}")
        try:
            verify_journal(db)
        except RuntimeError as e:
            problems.append(str(e))
        after = journal_counts(db)
        expected = {"search": succeeded["search"], "account-viewed": succeeded["card"], "sheet-printed": succeeded["sheet"],
                    "sign-in": args.connections, "import": 1}
        for action, n in expected.items():
            got = after.get(action, 0) - before.get(action, 0)
            if got != n:
                problems.append(f"journal: {got} new {action} rows for {n} actions the clients saw succeed")
        if problems:
            for p in problems:
                print("FAIL " + p)
            step("Load test FAILED")
            raise SystemExit(1)
        step("Load test passed: no failed request, journal verified, one row per action seen to succeed")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
