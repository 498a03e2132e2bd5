"""Scripts/crash-test: SIGKILL `guichet import` and `guichet serve` at random moments and check, after each kill,
that nothing is corrupt or half done. See Scripts/crash-test for the options."""
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

from guichet_client import (GUICHET, PASSWORD, Client, Daemon, accounts_digest, guichet, integrity, prepare,
                            journal_counts, step, verify_journal)


def check_common(db, problems, where):
    result = integrity(db)
    if result != ["ok"]:
        problems.append(f"{where}: integrity_check: {result[:3]}")
    try:
        verify_journal(db)
    except RuntimeError as e:
        problems.append(f"{where}: {e}")


def kill_an_import(what, point, base, db, csv, duration, digests, runs_before, problems):
    """Copies `base` to `db`, imports `csv` into it and SIGKILLs the import at a random moment of [0, 1.1 × duration],
    then checks the file: integrity and the journal (`check_common`, whose connection rolls a hot journal back), the
    accounts exactly one of `digests` (the state before, or "new"), and the import's journal row and import_run row
    there if and only if its accounts are (`runs_before` of each before it). Returns (state, where)."""
    copy_database(base, db)
    delay = random.uniform(0, duration * 1.1)
    process = subprocess.Popen([GUICHET, "import", "--db", db, "--staff", "crash-test", csv],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        process.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed = True
    where = f"{what} point {point + 1} (kill at {delay:.2f} s{'' if killed else ', finished first'})"
    if not killed and process.returncode != 0:
        problems.append(f"{where}: the import failed: {process.stderr.read().decode()[-300:]}")
    check_common(db, problems, where)
    digest = accounts_digest(db)
    state = next((name for name, d in digests.items() if d == digest), "MIXED")
    if state == "MIXED":
        problems.append(f"{where}: the accounts are none of {', '.join(digests)}, but a mix")
    counts = journal_counts(db)
    with sqlite3.connect(db) as c:
        runs = c.execute("SELECT count(*) FROM import_run").fetchone()[0]
    expected_runs = runs_before + (1 if state == "new" else 0)
    if counts.get("import", 0) != expected_runs or runs != expected_runs:
        problems.append(f"{where}: accounts are {state}, but {counts.get('import', 0)} import journal rows and "
                        f"{runs} import_run rows")
    return state + ("" if killed else " (finished)"), where


def import_points(args, work, base, new_csv, digest_old, digest_new, duration, problems):
    """The base holds one import; the new one replaces it."""
    outcomes = Counter()
    db = os.path.join(work, "import.sqlite3")
    for point in range(args.import_points):
        state, _ = kill_an_import("import", point, base, db, new_csv, duration,
                                  {"old": digest_old, "new": digest_new}, 1, problems)
        outcomes[state] += 1
    return outcomes


def first_import_points(args, work, empty, new_csv, digest_new, duration, problems):
    """A first import (into a database holding no account) runs with a rollback journal instead of the WAL, its
    pages written once (Importer.writesPagesOnce): after each kill the next open must roll it back whole and put the
    file back into WAL mode."""
    outcomes = Counter()
    db = os.path.join(work, "first.sqlite3")
    digests = {"empty": accounts_digest(empty), "new": digest_new}
    for point in range(args.first_import_points):
        state, where = kill_an_import("first import", point, empty, db, new_csv, duration, digests, 0, problems)
        with sqlite3.connect(db) as c:
            mode = c.execute("PRAGMA journal_mode").fetchone()[0]
        # `guichet journal verify` (check_common) opened the file as every command does: WAL again.
        if mode != "wal":
            problems.append(f"{where}: the file is in journal mode {mode} after an open, not wal")
        if os.path.exists(db + "-journal"):
            problems.append(f"{where}: a rollback journal is left beside the file")
        outcomes[state] += 1
    return outcomes


def copy_database(base, db):
    """A copy as a backup would make it: the file, its renewal key, its journal key and its journal witness."""
    for suffix in ("", "-wal", "-shm", ".key", ".journal-key", ".journal-witness"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    for suffix in ("", ".key", ".journal-key", ".journal-witness"):
        if os.path.exists(base + suffix):
            shutil.copy(base + suffix, db + suffix)


def serve_points(args, work, base, digest_old, problems):
    db = os.path.join(work, "serve.sqlite3")
    copy_database(base, db)
    with sqlite3.connect(db) as c:
        logins = [r[0] for r in c.execute("SELECT login FROM account WHERE gone_since IS NULL ORDER BY random() LIMIT 2000")]
        activated = [r[0] for r in c.execute(
            "SELECT login FROM account WHERE ifnull(activation_code, '') = '' AND gone_since IS NULL ORDER BY random() LIMIT 2000")]
    received_sheets = {}      # sheet number -> login, as the clients received them
    received_codes = Counter()  # login -> renewal codes received
    answered = Counter()
    for point in range(args.serve_points):
        daemon = Daemon(db, os.path.join(work, "serve.log"))
        lock = threading.Lock()
        stop = threading.Event()

        def worker(seed):
            rng = random.Random(seed)
            try:
                client = Client(daemon.port, "agent", timeout=10)
            except Exception:
                return
            while not stop.is_set():
                try:
                    if rng.random() < 0.6:
                        login = rng.choice(logins)
                        status, headers, body = client.request("POST", f"/api/v1/accounts/{login}/sheet",
                                                               {"idCheck": "cni", "recipient": "self"})
                        if status == 200:
                            with lock:
                                received_sheets[int(headers["x-guichet-sheet"])] = login
                                answered["sheet"] += 1
                    else:
                        login = rng.choice(activated)
                        status, _, _ = client.request("POST", f"/api/v1/accounts/{login}/renewal-code")
                        if status == 201:
                            with lock:
                                received_codes[login] += 1
                                answered["renewal-code"] += 1
                except Exception:
                    return   # the daemon was killed under this request

        threads = [threading.Thread(target=worker, args=(point * 100 + k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, args.serve_seconds))
        daemon.kill(signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join()
        where = f"serve point {point + 1}"
        check_common(db, problems, where)
        if accounts_digest(db) != digest_old:
            problems.append(f"{where}: serving changed the accounts")
        with sqlite3.connect(db) as c:
            sheet_rows = dict(c.execute("SELECT seq, target FROM journal WHERE action = 'sheet-printed'").fetchall())
            issued_rows = Counter(dict(c.execute(
                "SELECT target, count(*) FROM journal WHERE action = 'renewal-issued' GROUP BY target").fetchall()))
            code_rows = Counter(dict(c.execute(
                "SELECT a.login, count(*) FROM renewal_code r JOIN account a ON a.id = r.account_id GROUP BY a.login").fetchall()))
        for number, login in received_sheets.items():
            if sheet_rows.get(number) != login:
                problems.append(f"{where}: sheet n° {number} for {login} was received, its journal row says {sheet_rows.get(number)}")
        if issued_rows != code_rows:
            diff = {k: (issued_rows[k], code_rows[k]) for k in set(issued_rows) | set(code_rows) if issued_rows[k] != code_rows[k]}
            problems.append(f"{where}: renewal codes and renewal-issued rows differ (journal, codes): {list(diff.items())[:5]}")
        for login, n in received_codes.items():
            if code_rows[login] < n:
                problems.append(f"{where}: {n} codes received for {login}, {code_rows[login]} stored")
    return answered, len(received_sheets)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--import-points", type=int, default=25)
    parser.add_argument("--first-import-points", type=int, default=10)
    parser.add_argument("--serve-points", type=int, default=25)
    parser.add_argument("--serve-seconds", type=float, default=2.5, help="longest run of the daemon before its kill")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    random.seed(seed)
    work = tempfile.mkdtemp(prefix="guichet-crash-")
    started = time.time()
    try:
        step(f"Crash test: {args.import_points} kills of import, {args.first_import_points} of a first import, "
             f"{args.serve_points} of serve, "
             f"{args.accounts} accounts, seed {seed} ({work})")
        old_csv, new_csv, base = prepare(work, args.accounts, "base.sqlite3", "crash-test")
        # The renewal key is created by the first serve; make it once, beside the base.
        Daemon(base, os.path.join(work, "serve.log")).kill(signal.SIGTERM)
        digest_old = accounts_digest(base)
        calibrate = os.path.join(work, "calibrate.sqlite3")
        copy_database(base, calibrate)
        t0 = time.time()
        guichet("import", "--db", calibrate, "--staff", "crash-test", new_csv)
        duration = time.time() - t0
        digest_new = accounts_digest(calibrate)
        assert digest_new != digest_old
        step(f"An uninterrupted import of the new export takes {duration:.1f} s; killing at random in [0, {duration * 1.1:.1f}] s")
        problems = []
        outcomes = import_points(args, work, base, new_csv, digest_old, digest_new, duration, problems)
        step(f"Import kills: {dict(outcomes)}")
        empty = os.path.join(work, "empty.sqlite3")
        guichet("staff", "add", "agent", "--role", "agent", "--db", empty, stdin=PASSWORD + "\n")
        first = os.path.join(work, "first-calibrate.sqlite3")
        copy_database(empty, first)
        t0 = time.time()
        guichet("import", "--db", first, "--staff", "crash-test", new_csv)
        first_duration = time.time() - t0
        first_outcomes = first_import_points(args, work, empty, new_csv, accounts_digest(first), first_duration, problems)
        step(f"First import kills (killing at random in [0, {first_duration * 1.1:.1f}] s): {dict(first_outcomes)}")
        answered, sheets = serve_points(args, work, base, digest_old, problems)
        step(f"Serve kills: {args.serve_points}; answers received before the kills: {dict(answered)}")
        total = args.import_points + args.first_import_points + args.serve_points
        if problems:
            for p in problems:
                print("FAIL " + p)
            step(f"Crash test FAILED: {len(problems)} problem(s) over {total} kills (seed {seed})")
            raise SystemExit(1)
        step(f"Crash test passed: {total} kills, integrity ok, journal verified, no half import, every action and "
             f"its journal row together ({time.time() - started:.0f} s)")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
