#!/usr/bin/env python3
"""A fake ENT (Open ENT NG / entcore) on loopback for Guichet's tests, written from entcore's source.

Usage: fake_ent.py [--users FILE.json] [--admin LOGIN:PASSWORD] [--administers ID,ID] [--mfa] [--max-retry N]
                   [--delay SECONDS] [--tls CERT KEY] [--down]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once it accepts connections. What it does, and where
entcore does the same (edificeio/entcore 6.x, edifice-entcore-libs, web-utils):
  POST /auth/login (form email=<login>, password, callBack)          AuthController.loginSubmit
      success: 302, Location absolute (scheme from X-Forwarded-Proto, host from Host), cookies oneSessionId
      (HttpOnly), authenticated=true, XSRF-TOKEN; Path=/; SameSite=Strict; Secure behind https (CookieHelper).
      failure: 200 text/html, the login page with an error key (auth.error.authenticationFailed, auth.error.ban,
      auth.error.blockedUser). Failures are counted per login as typed, for an existing user's wrong password only;
      after --max-retry failures within 15 minutes every attempt fails with auth.error.ban, even a right one.
  GET /auth/login                                                     the login page, 200 text/html
  GET /auth/logout                                                    clears the session, 302 to /auth/login
  secured routes (UserAuthFilter, CsrfFilter):
      POST/PUT/DELETE without X-XSRF-TOKEN equal to the XSRF-TOKEN cookie of a live session:
          403 {"error":"invalid.xsrf.token"} (the XSRF filter runs first, so an expired session gets this too);
      GET without a live session: 302 to /auth/login?callback=<encoded absolute URL>;
      a permission refused: 401 text/html.
  --mfa: GET /directory/user/admin/list and /directory/export/users answer 302 to
      /auth/validate-mfa?force=true&redirect=<path> (MandatoryUserValidationFilter); /auth/* is exempt.
  POST /auth/generatePasswordRenewalCode (form login=<real login>)    AuthController / AuthResourcesProvider
      401 text/html unless the caller administers a structure of that user and the user is no administrator
      (unknown logins too: the check runs first; an empty login too, refused by isClassTeacherByUserLogin before
      any look-up: `guichet ent check` proves XSRF with exactly that harmless POST); 500 with an empty body when the user still has an activation
      code or is federated; else 200 {"renewalCode": 8 characters of "abcdefghjkmnprstvwxyz3456789"}, which
      replaces the user's previous code.
  GET /directory/user/admin/list?structureId=&searchTerm=&searchType=displayName   UserController
      JSON rows {id, type, externalId, code, login (the alias if any), originalLogin, blocked, creationDate,
      lastLogin, email, mobile, structures, allClasses}; displayName ignores accents, spaces, hyphens and
      apostrophes; a term under 3 characters: 400; a structure the caller does not administer: [].
  GET /directory/export/users?format=csv&structureId=                 the console's "Exporter des comptes" (BOM,
      ";", every value quoted).
Test controls (not entcore's), under /__fake/: POST expire-sessions, POST mfa-done, POST set {"delay": s,
"mfa": bool, "strip_xsrf": bool (a proxy in front of the ENT that drops the X-XSRF-TOKEN header)}, GET log (the requests seen), GET codes (the renewal codes generated, by login).
--down prints a port on which nothing listens, and exits. Stops on SIGTERM, or when its standard input (a pipe) closes.
"""
import argparse
import json
import os
import random
import signal
import socket
import ssl
import stat
import sys
import threading
import time
import unicodedata
import uuid
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

ALPHABET = "abcdefghjkmnprstvwxyz3456789"
BAN_DELAY = 15 * 60

DEFAULT_USERS = [
    # An activated student (no code) of the school's structure, with an alias.
    {"id": "u-1", "type": "Student", "login": "marc.gerard", "alias": "marc.g", "firstName": "Marc", "lastName": "Gérard",
     "structures": ["s-lycee"], "classes": ["2NDE 3"], "code": None, "email": "marc@example.org"},
    # Not activated yet: an activation code.
    {"id": "u-2", "type": "Student", "login": "zoe.gerard", "firstName": "Zoé", "lastName": "Gérard",
     "structures": ["s-lycee"], "classes": ["2NDE 3"], "code": "ab3cd4ef"},
    # A parent who signs in through EduConnect.
    {"id": "u-3", "type": "Relative", "login": "paul.gerard", "firstName": "Paul", "lastName": "Gérard",
     "structures": ["s-lycee"], "code": None, "federated": True},
    # An account of another school: outside the administrator's structures.
    {"id": "u-4", "type": "Student", "login": "lea.martin", "firstName": "Léa", "lastName": "Martin",
     "structures": ["s-other"], "code": None},
    # Blocked by an administrator.
    {"id": "u-5", "type": "Student", "login": "hugo.petit", "firstName": "Hugo", "lastName": "Petit",
     "structures": ["s-lycee"], "code": None, "blocked": True},
    # The school's delegated administrator (ADML) Guichet signs in as.
    {"id": "u-admin", "type": "Personnel", "login": "guichet.adml", "firstName": "Guichet", "lastName": "Accueil",
     "structures": ["s-lycee"], "code": None, "password": "adml-password", "administers": ["s-lycee"]},
]


def fold(text):
    """entcore's displayName search key: no accents, no spaces, hyphens or apostrophes, lower case."""
    decomposed = unicodedata.normalize("NFD", text or "")
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in kept.lower() if c not in " -'’")


class ENT:
    def __init__(self, users, max_retry, mfa, delay):
        self.lock = threading.Lock()
        self.users = {u["login"]: u for u in users}
        self.max_retry, self.mfa, self.delay = max_retry, mfa, delay
        self.strip_xsrf = False
        self.sessions = {}     # oneSessionId → {"login", "xsrf", "mfa_done"}
        self.failures = {}     # login as typed → [times]
        self.codes = {}        # login → last renewal code
        self.log = []

    def user_by_login(self, typed):
        typed = (typed or "").strip()
        for u in self.users.values():
            if typed in (u["login"], u.get("alias")):
                return u
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-entcore"

    def log_message(self, *args):
        pass

    @property
    def ent(self):
        return self.server.ent

    # ---- plumbing

    def body(self):
        # Read once, before any answer: a body left unread would be taken for the next request on the connection.
        if not hasattr(self, "_body"):
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def form(self):
        data = self.body()
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return {}
        return {k: v[0] for k, v in parse_qs(data.decode("utf-8", "replace"), keep_blank_values=True).items()}

    def cookies(self):
        jar = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie") or "")
        except Exception:
            return {}
        return {k: m.value for k, m in jar.items()}

    def origin(self):
        scheme = self.headers.get("X-Forwarded-Proto") or ("https" if self.server.tls else "http")
        return "%s://%s" % (scheme, self.headers.get("Host") or "localhost")

    def send(self, status, body=b"", content_type=None, headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, status, value):
        self.send(status, json.dumps(value), "application/json; charset=utf-8")

    def html(self, status, text):
        self.send(status, "<!DOCTYPE html><html><body>%s</body></html>" % text, "text/html; charset=utf-8")

    def cookie_header(self, name, value, http_only=False, max_age=None):
        parts = ["%s=%s" % (name, value), "Path=/", "SameSite=Strict"]
        if http_only:
            parts.append("HttpOnly")
        if self.server.tls:
            parts.append("Secure")
        if max_age is not None:
            parts.append("Max-Age=%d" % max_age)
        return ("Set-Cookie", "; ".join(parts))

    def session(self):
        sid = self.cookies().get("oneSessionId")
        return (sid, self.ent.sessions.get(sid)) if sid else (None, None)

    def record(self, **extra):
        entry = {"method": self.command, "path": urlsplit(self.path).path,
                 "xsrf": self.headers.get("X-XSRF-TOKEN") is not None}
        entry.update(extra)
        with self.ent.lock:
            self.ent.log.append(entry)

    # ---- dispatch

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        if hasattr(self, "_body"):
            del self._body
        self.body()
        url = urlsplit(self.path)
        if url.path.startswith("/__fake/"):
            return self.control(method, url)
        if self.ent.delay:
            time.sleep(self.ent.delay)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if method == "POST" and url.path == "/auth/login":
            return self.login()
        if method == "GET" and url.path == "/auth/login":
            self.record(status=200)
            return self.html(200, "<form method='post' action='/auth/login'><input name='email'><input name='password'></form>")
        if method == "GET" and url.path == "/auth/logout":
            sid, _ = self.session()
            with self.ent.lock:
                self.ent.sessions.pop(sid, None)
            self.record()
            return self.send(302, headers=[("Location", self.origin() + "/auth/login"),
                                           self.cookie_header("oneSessionId", "", True, 0),
                                           self.cookie_header("authenticated", "", False, 0)])
        # Secured routes: the XSRF filter first for state changes, then the session.
        sid, session = self.session()
        if method != "GET":
            token = None if self.ent.strip_xsrf else self.headers.get("X-XSRF-TOKEN")
            if session is None or not token or token != self.cookies().get("XSRF-TOKEN") or token != session["xsrf"]:
                self.record(status=403)
                return self.json(403, {"error": "invalid.xsrf.token"})
        if session is None:
            self.record(status=302)
            callback = quote(self.origin() + self.path, safe="")
            return self.send(302, headers=[("Location", self.origin() + "/auth/login?callback=" + callback)])
        admin = self.ent.users[session["login"]]
        if self.ent.mfa and not session["mfa_done"] and method == "GET" and url.path in (
                "/directory/user/admin/list", "/directory/export/users"):
            self.record(status=302)
            return self.send(302, headers=[("Location", self.origin() + "/auth/validate-mfa?force=true&redirect="
                                            + quote(self.path, safe=""))])
        if method == "POST" and url.path == "/auth/generatePasswordRenewalCode":
            return self.renewal_code(admin)
        if method == "GET" and url.path == "/directory/user/admin/list":
            return self.admin_list(admin, query)
        if method == "GET" and url.path == "/directory/export/users":
            return self.export(admin, query)
        self.record(status=404)
        self.json(404, {"error": "not.found"})

    def login(self):
        form = self.form()
        typed, password = form.get("email", ""), form.get("password", "")
        user = self.ent.user_by_login(typed)
        now = time.time()
        with self.ent.lock:
            recent = [t for t in self.ent.failures.get(typed, []) if now - t < BAN_DELAY]
            self.ent.failures[typed] = recent
            banned = len(recent) >= self.ent.max_retry
        if banned:
            self.record(outcome="ban")
            return self.html(200, "<p class='error'>auth.error.ban</p>")
        if user is None or user.get("password") != password:
            if user is not None:
                with self.ent.lock:
                    self.ent.failures[typed].append(now)
            self.record(outcome="failed")
            return self.html(200, "<p class='error'>auth.error.authenticationFailed</p>")
        if user.get("blocked"):
            self.record(outcome="blocked")
            return self.html(200, "<p class='error'>auth.error.blockedUser</p>")
        sid = "%s:%s" % (uuid.uuid4(), uuid.uuid4().hex)
        xsrf = str(uuid.uuid4())
        with self.ent.lock:
            self.ent.sessions[sid] = {"login": user["login"], "xsrf": xsrf, "mfa_done": False}
        self.record(outcome="ok")
        callback = form.get("callBack") or "/"
        location = callback if callback.startswith("http") else self.origin() + callback
        self.send(302, headers=[("Location", location), self.cookie_header("oneSessionId", sid, True),
                                self.cookie_header("authenticated", "true"), self.cookie_header("XSRF-TOKEN", xsrf)])

    def administers(self, admin, user):
        return bool(set(admin.get("administers", [])) & set(user.get("structures", []))) and not user.get("administers")

    def renewal_code(self, admin):
        login = self.form().get("login")
        user = self.ent.users.get(login) if login else None
        if user is None or not self.administers(admin, user):
            self.record(status=401)
            return self.html(401, "<p>Unauthorized</p>")
        if user.get("code") or user.get("federated"):
            self.record(status=500)
            return self.send(500)
        code = "".join(random.SystemRandom().choice(ALPHABET) for _ in range(8))
        with self.ent.lock:
            self.ent.codes[login] = code
        self.record(status=200, login=login)
        self.json(200, {"renewalCode": code})

    def row(self, u):
        return {"id": u["id"], "type": u["type"], "externalId": "ext-" + u["id"], "code": u.get("code"),
                "login": u.get("alias") or u["login"], "originalLogin": u["login"], "blocked": u.get("blocked") or None,
                "creationDate": "2025-09-01T08:00:00.000+02:00", "lastLogin": u.get("lastLogin"),
                "email": u.get("email"), "mobile": None, "structures": u.get("structures", []),
                "allClasses": [{"name": c} for c in u.get("classes", [])],
                "displayName": "%s %s" % (u["firstName"], u["lastName"])}

    def admin_list(self, admin, query):
        structure, term = query.get("structureId", ""), query.get("searchTerm", "")
        if len(term) < 3:
            self.record(status=400)
            return self.json(400, {"error": "invalid.search.term"})
        rows = []
        if structure in admin.get("administers", []):
            key = fold(term)
            for u in self.ent.users.values():
                names = [fold(u["firstName"] + u["lastName"]), fold(u["lastName"] + u["firstName"])]
                if structure in u.get("structures", []) and any(key in n for n in names):
                    rows.append(self.row(u))
        self.record(status=200, count=len(rows))
        self.json(200, rows)

    def export(self, admin, query):
        structure = query.get("structureId", "")
        if structure not in admin.get("administers", []):
            self.record(status=401)
            return self.html(401, "<p>Unauthorized</p>")
        header = ["Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant", "Login personnalisé (Alias)",
                  "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants", "Parents",
                  "Dernière connexion", "Courriel", "Téléphone"]
        profile = {"Student": "Élève", "Relative": "Parent", "Teacher": "Enseignant", "Personnel": "Personnel", "Guest": "Invité"}
        lines = [";".join('"%s"' % h for h in header)]
        for u in self.ent.users.values():
            if structure not in u.get("structures", []):
                continue
            values = [u["id"], "", profile[u["type"]], u["lastName"], u["firstName"], u["login"],
                      u.get("alias") or u["login"], u.get("code") or "", "", "Lycée Jean-Jaurès",
                      ",".join(u.get("classes", [])), "", "", "", u.get("email") or "", ""]
            lines.append(";".join('"%s"' % v for v in values))
        self.record(status=200)
        self.send(200, ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"), "text/csv; charset=utf-8")

    def control(self, method, url):
        ent = self.ent
        if method == "POST" and url.path == "/__fake/expire-sessions":
            with ent.lock:
                ent.sessions.clear()
            return self.json(200, {})
        if method == "POST" and url.path == "/__fake/mfa-done":
            with ent.lock:
                for s in ent.sessions.values():
                    s["mfa_done"] = True
            return self.json(200, {})
        if method == "POST" and url.path == "/__fake/set":
            changes = json.loads(self.body() or b"{}")
            with ent.lock:
                if "delay" in changes:
                    ent.delay = float(changes["delay"])
                if "mfa" in changes:
                    ent.mfa = bool(changes["mfa"])
                if "strip_xsrf" in changes:
                    ent.strip_xsrf = bool(changes["strip_xsrf"])
                for login, fields in changes.get("users", {}).items():
                    ent.users.setdefault(login, {"login": login}).update(fields)
            return self.json(200, {})
        if method == "GET" and url.path == "/__fake/log":
            with ent.lock:
                return self.json(200, list(ent.log))
        if method == "GET" and url.path == "/__fake/codes":
            with ent.lock:
                return self.json(200, dict(ent.codes))
        self.json(404, {"error": "no such control"})


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users")
    parser.add_argument("--admin", help="LOGIN:PASSWORD of the administrator (default guichet.adml:adml-password)")
    parser.add_argument("--administers", help="comma-separated structure ids the administrator administers")
    parser.add_argument("--mfa", action="store_true")
    parser.add_argument("--max-retry", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--down", action="store_true")
    args = parser.parse_args()
    if args.down:
        print("PORT %d" % free_port(), flush=True)
        return
    users = json.load(open(args.users)) if args.users else [dict(u) for u in DEFAULT_USERS]
    admin = next(u for u in users if u.get("administers") is not None)
    if args.admin:
        login, password = args.admin.split(":", 1)
        admin["login"], admin["password"] = login, password
    if args.administers:
        admin["administers"] = args.administers.split(",")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.ent = ENT(users, args.max_retry, args.mfa, args.delay)
    server.tls = bool(args.tls)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print("PORT %d" % server.server_address[1], flush=True)
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        def watch():
            while sys.stdin.buffer.read1(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
