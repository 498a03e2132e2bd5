"""Shared plumbing of Scripts/crash-test and Scripts/load-test: the guichet executable, exports, a daemon on a free
port of 127.0.0.1, a signed-in HTTP client, and the database checks both scripts end with. Standard library only."""
import hashlib
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUICHET = os.environ.get("GUICHET", os.path.join(ROOT, ".build", "debug", "guichet"))
PASSWORD = "robust-test-password"


def step(message):
    print(f"\033[1m==> {message}\033[0m", file=sys.stderr, flush=True)


def guichet(*args, stdin=None, check=True):
    """Runs the guichet command line; returns its standard output."""
    done = subprocess.run([GUICHET, *args], input=stdin, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"guichet {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def demo_export(path, accounts, seed):
    subprocess.run([sys.executable, os.path.join(ROOT, "Scripts", "demo-export.py"), "--accounts", str(accounts),
                    "--seed", str(seed), "-o", path], check=True, capture_output=True)


def replacement_export(old_path, new_path, extra_path):
    """An export that replaces `old_path` the way a real nightly one does, with differences in every column the
    digest reads: a tenth of the accounts left the feed, a seventh activated (code gone), and as many newcomers (the
    rows of `extra_path`, another seed, with their own ids and logins) arrived."""
    with open(old_path, encoding="utf-8-sig") as f:
        header, *rows = f.read().splitlines()
    with open(extra_path, encoding="utf-8-sig") as f:
        extra = f.read().splitlines()[1:]
    kept = []
    for i, row in enumerate(rows):
        if i % 10 == 3:
            continue
        if i % 7 == 5:
            fields = row.split('";"')
            fields[7] = ""
            row = '";"'.join(fields)
        kept.append(row)
    for row in extra[: len(rows) // 10]:
        fields = row.split('";"')
        fields[0] = '"n-' + fields[0][1:]
        fields[5] = "n." + fields[5]
        kept.append('";"'.join(fields))
    with open(new_path, "w", encoding="utf-8-sig", newline="\n") as f:
        f.write("\n".join([header, *kept]) + "\n")


def prepare(work, accounts, db_name, staff_label):
    """The exports both scripts work from (old, and new: a tenth left, a tenth arrived) and a database holding the
    old one with an agent. Returns (old_csv, new_csv, db)."""
    old_csv, new_csv, extra_csv = (os.path.join(work, n) for n in ("old.csv", "new.csv", "extra.csv"))
    demo_export(old_csv, accounts, 1)
    demo_export(extra_csv, max(100, accounts // 10), 2)
    replacement_export(old_csv, new_csv, extra_csv)
    db = os.path.join(work, db_name)
    guichet("import", "--db", db, "--staff", staff_label, old_csv)
    guichet("staff", "add", "agent", "--role", "agent", "--db", db, stdin=PASSWORD + "\n")
    return old_csv, new_csv, db


def accounts_digest(db):
    """SHA-256 of (login, activation code, gone) for every account, in login order."""
    h = hashlib.sha256()
    with sqlite3.connect(db) as c:
        for login, code, gone in c.execute(
                "SELECT login, ifnull(activation_code, ''), gone_since IS NOT NULL FROM account ORDER BY login"):
            h.update(f"{login}\t{code}\t{gone}\n".encode())
    return h.hexdigest()


def integrity(db):
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("PRAGMA integrity_check")]


def journal_counts(db):
    with sqlite3.connect(db) as c:
        return dict(c.execute("SELECT action, count(*) FROM journal GROUP BY action").fetchall())


def verify_journal(db):
    """`guichet journal verify`: raises when the chain is broken."""
    guichet("journal", "verify", "--db", db)


class Daemon:
    """`guichet serve` on a free port of 127.0.0.1 (never another address)."""

    def __init__(self, db, log_path, threads=4, extra=()):
        self.log = open(log_path, "w")
        kiosk = os.path.join(ROOT, "Kiosk", "web")
        self.process = subprocess.Popen([GUICHET, "serve", "--db", db, "--bind", "127.0.0.1", "--port", "0",
                                         "--threads", str(threads), "--kiosk", kiosk, *extra],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline and self.port is None:
            time.sleep(0.05)
            with open(log_path) as f:
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", f.read())
            if m:
                self.port = int(m.group(1))
            if self.process.poll() is not None:
                break
        if self.port is None:
            self.kill()
            raise RuntimeError(f"guichet serve did not start: {open(log_path).read()[-2000:]}")

    def kill(self, sig=9):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait()
        self.log.close()


class Client:
    """One keep-alive connection, signed in as `login`."""

    def __init__(self, port, login, timeout=60):
        self.port = port
        self.timeout = timeout
        self.connection = None
        self.cookie = None
        self.csrf = None
        status, headers, body = self.request("POST", "/api/v1/session", {"login": login, "password": PASSWORD})
        if status != 200:
            raise RuntimeError(f"sign-in failed: {status} {body[:200]!r}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.csrf = json.loads(body)["csrfToken"]

    def request(self, method, path, body=None):
        """Returns (status, lower-cased headers, body bytes); raises on a transport error."""
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        # No retry: a request repeated after a lost answer could act twice, which is what the scripts look for.
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            r = self.connection.getresponse()
            payload = r.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        if r.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return r.status, {k.lower(): v for k, v in r.getheaders()}, payload

    def close(self):
        if self.connection:
            self.connection.close()
