#!/usr/bin/env python3
"""Desk-query quality (and latency) of the search, beside SQLite FTS5 and tantivy, measured in the same run on the same
accounts.

From a Guichet database imported from Scripts/demo-export.py's data, generates desk queries of several kinds, each with
the person it is meant to find (only people whose folded full name is unique, so that the person is well defined),
then asks three engines for their top 3:
- Guichet: `guichet-bench answers` (in process, the ranked search of Sources/Guichet/Search);
- SQLite FTS5 (unicode61 remove_diacritics 2) over first name, last name and login: every word a prefix,
  `ORDER BY rank` (what Guichet searched with before its own index);
- tantivy (pip `tantivy`) configured as a careful engineer would: folded words (names, their run-together forms,
  login words and classes), every word required, each word matched whole (boost 4), as a prefix (boost 2), or, from 5
  letters, within one edit (transposition counted as one) of a word or of a prefix of one (boost 1).
Prints hit@1 and hit@3 per kind and overall; for Guichet and tantivy, how many misses at 1 and at 3 were avoidable (the
intended person fit the query better than someone shown, or the page had room: see Fit), the others being ties no
engine can break but by chance; the hit rates again with those ties counted as hits; and how many of Guichet's misses
at 3 are beyond the tolerance README documents. With
--latency p50/p99 per kind for Guichet and tantivy (in
process, best of --runs). Usage:
  search-quality.py --db DB --bench .build/release/guichet-bench [--per-kind 120] [--seed 7] [--latency] [--runs 3]
                    [--tsv FILE]
"""
import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

import tantivy

SPELLED_OUT = {"œ": "oe", "æ": "ae", "ß": "ss", "ł": "l", "ø": "o", "đ": "d"}


def fold(text):
    text = "".join(SPELLED_OUT.get(c, c) for c in text.lower())
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def words(text):
    out, cur = [], ""
    for c in fold(text):
        if c.isalnum():
            cur += c
        elif cur:
            out.append(cur)
            cur = ""
    return out + ([cur] if cur else [])


# ------------------------------------------------------------------------------------------------------ the queries

def typo(word, rng, kinds=("wrong", "missing", "extra", "swap")):
    letters = list(word)
    i = rng.randrange(1, len(letters) - 1)  # desks rarely miss the first letter
    kind = rng.choice(kinds)
    other = rng.choice("abcdefghijklmnopqrstuvwxyz".replace(letters[i], ""))
    if kind == "wrong":
        letters[i] = other
    elif kind == "missing":
        del letters[i]
    elif kind == "extra":
        letters.insert(i, other)
    else:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


# How a parent dictating a name may have it written down: the same sounds, another French spelling. Each rule is
# (spelling, respelling, letters that may follow it: None for any, "" for the end of the word).
VOWELS = "aeiouy"
RESPELLINGS = [("eau", "o", None), ("au", "o", None), ("o", "au", "bcdfgklprstvz"), ("ph", "f", None), ("f", "ph", None),
               ("y", "i", None), ("i", "y", VOWELS), ("ai", "e", "bcdfgklprstvz"), ("qu", "k", None), ("ca", "ka", None),
               ("co", "ko", None), ("cu", "ku", None), ("ce", "se", None), ("ci", "si", None), ("ss", "c", "eiy"),
               ("en", "an", "bcdfgklpqrstvz"), ("an", "en", "bcdfgklpqrstvz"), ("th", "t", None), ("ll", "l", None),
               ("nn", "n", None), ("mm", "m", None), ("tt", "t", None), ("ei", "ai", None), ("k", "c", "aou"),
               ("x", "ks", VOWELS), ("ç", "ss", None), ("et", "ai", ""), ("ault", "o", ""), ("aud", "o", ""),
               ("ier", "ie", ""), ("ez", "e", ""), ("d", "", ""), ("t", "", "")]


def respell(word, rng):
    options = list(RESPELLINGS)
    rng.shuffle(options)
    for a, b, after in options:
        at = [i for i in range(1, len(word) + 1) if word.startswith(a, i) and
              (after is None or (after == "" and i + len(a) == len(word)) or
               (after and i + len(a) < len(word) and word[i + len(a)] in after))]
        if not at:
            continue
        i = rng.choice(at)
        out = word[:i] + b + word[i + len(a):]
        if out != word and len(out) >= 3:
            return out
    return None


def make_queries(db, per_kind, seed):
    rng = random.Random(seed)
    people = []
    for login, first, last, classes in db.execute("SELECT login, first_name, last_name, classes FROM account"):
        people.append((login, first, last, json.loads(classes)))
    full = {}
    for p in people:
        key = " ".join(words(p[1]) + ["|"] + words(p[2]))
        full[key] = full.get(key, 0) + 1
    unique = [p for p in people if full[" ".join(words(p[1]) + ["|"] + words(p[2]))] == 1]
    rng.shuffle(unique)
    first_in_class = {}
    for p in people:
        for c in p[3]:
            k = (words(p[1])[0] if words(p[1]) else "", fold(c))
            first_in_class[k] = first_in_class.get(k, 0) + 1

    def longest(ws):
        return max(ws, key=len)

    def kind(name, make):
        out = []
        for p in unique:
            if len(out) == per_kind:
                break
            f, l = words(p[1]), words(p[2])
            if not f or not l:
                continue
            q = make(p, f, l)
            if q:
                out.append((name, q, p[0]))
        return out

    def one_typo(p, f, l):
        w = longest(l)
        return f"{' '.join(f)} {' '.join(x if x != w else typo(w, rng, ('wrong', 'missing', 'extra')) for x in l)}" if len(w) >= 5 else None

    def swapped(p, f, l):
        ws = f + l
        k = rng.randrange(len(ws))
        if len(ws[k]) < 5:
            return None
        ws = ws[:k] + [typo(ws[k], rng, ("swap",))] + ws[k + 1:]
        return " ".join(ws)

    def two_typos(p, f, l):
        w = longest(l)
        if len(w) < 9:
            return None
        t = typo(w, rng)
        t2 = typo(t, rng)
        return f"{' '.join(f)} {' '.join(x if x != w else t2 for x in l)}"

    def sound(p, f, l):
        w = longest(l)
        r = respell(w, rng) if len(w) >= 4 else None
        return f"{' '.join(f)} {' '.join(x if x != w else r for x in l)}" if r else None

    def first_and_class(p, f, l):
        if not p[3]:
            return None
        c = p[3][0]
        if first_in_class.get((f[0], fold(c)), 0) != 1:
            return None
        return f"{p[1].split('-')[0].split(' ')[0].lower()} {c.lower()}"

    def login_prefix(p, f, l):
        login = p[0]
        if "." not in login:
            return None
        dot = login.index(".")
        rest = len(login) - dot - 1
        return login[:dot + 1 + min(rest, rng.randint(3, 6))]

    def separators(p, f, l):
        if len(l) > 1:
            return f"{' '.join(f)} {''.join(l) if rng.random() < 0.5 else ' '.join(l)}"
        if len(f) > 1:
            return f"{''.join(f) if rng.random() < 0.5 else ' '.join(f)} {' '.join(l)}"
        return None

    rng2 = rng
    return (kind("first last", lambda p, f, l: f"{p[1].lower()} {p[2].lower()}")
            + kind("NOM Prénom", lambda p, f, l: f"{p[2].upper()} {p[1]}")
            + kind("prefixes", lambda p, f, l: f"{f[0][:rng2.randint(3, 5)]} {longest(l)[:rng2.randint(3, 6)]}")
            + kind("one typo (wrong/missing/extra)", one_typo)
            + kind("swapped letters", swapped)
            + kind("two typos, long name", two_typos)
            + kind("sound-alike spelling", sound)
            + kind("first name + class", first_and_class)
            + kind("login prefix", login_prefix)
            + kind("spaces/hyphens optional", separators))


# ------------------------------------------------------------------------------------------------------- the engines

def guichet(bench, db_path, queries, runs):
    with tempfile.TemporaryDirectory() as tmp:
        qfile, afile = os.path.join(tmp, "q.tsv"), os.path.join(tmp, "a.tsv")
        with open(qfile, "w") as f:
            f.write("".join(f"{k}\t{q}\t{login}\n" for k, q, login in queries))
        subprocess.run([bench, "answers", "--db", db_path, "--queries", qfile, "--out", afile, "--runs", str(runs)], check=True)
        out = []
        for line in open(afile):
            top, _, ms = line.rstrip("\n").split("\t")
            out.append((top.split(), float(ms)))
        return out


def fts5(db_path, queries):
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE names USING fts5(first, last, login, tokenize = 'unicode61 remove_diacritics 2')")
    src = sqlite3.connect(db_path)
    fts.executemany("INSERT INTO names (first, last, login) VALUES (?, ?, ?)",
                    src.execute("SELECT first_name, last_name, login FROM account"))
    out = []
    for _, q, _ in queries:
        match = " ".join(f'"{w}"*' for w in words(q))
        rows = fts.execute("SELECT login FROM names WHERE names MATCH ? ORDER BY rank LIMIT 3", (match,)).fetchall() if match else []
        out.append([r[0] for r in rows])
    return out


def tantivy_engine(db_path):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", stored=False)
    builder.add_text_field("login", stored=True, index_option="basic", tokenizer_name="raw")
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=200_000_000)
    src = sqlite3.connect(db_path)
    for login, first, last, classes in src.execute("SELECT login, first_name, last_name, classes FROM account"):
        f, l = words(first), words(last)
        terms = f + l + ([ "".join(f)] if len(f) > 1 else []) + ([ "".join(l)] if len(l) > 1 else []) + words(login)
        terms += [w for c in json.loads(classes) for w in words(c)]
        writer.add_document(tantivy.Document(terms=" ".join(terms), login=login))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def search(q):
        musts = []
        for w in words(q):
            options = [tantivy.Query.boost_query(tantivy.Query.term_query(schema, "terms", w), 4.0),
                       tantivy.Query.boost_query(tantivy.Query.fuzzy_term_query(schema, "terms", w, distance=0, prefix=True), 2.0)]
            if len(w) >= 5:
                options.append(tantivy.Query.fuzzy_term_query(schema, "terms", w, distance=1, transposition_cost_one=True, prefix=True))
            musts.append((tantivy.Occur.Must, tantivy.Query.boolean_query([(tantivy.Occur.Should, o) for o in options])))
        if not musts:
            return []
        hits = searcher.search(tantivy.Query.boolean_query(musts), 3).hits
        return [searcher.doc(address)["login"][0] for _, address in hits]

    return search


# ------------------------------------------------------------------------------------ which misses were avoidable

# Phonex (Frédéric Brouard), the rules of Sources/Guichet/Search/Phonex.swift in the same order: only to tell whether
# another account sounds like the query as much as the intended person does.
PHONEX_RULES = [(r"Y", "I", 0), (r"([^PCS])H", r"\1", 0), (r"PH", "F", 0), (r"G(AI?[NM])", r"K\1", 0),
                (r"[AE]I[NM]([AEIOU])", r"YN\1", 0), (r"EAU", "O", 1), (r"OUA", "2", 1), (r"[EA]I[NM]", "4", 0),
                (r"[EA]I", "Y", 0), (r"E([RTZ])", r"Y\1", 0), (r"ESS", "YS", 0), (r"[AOE]N([^AEIOU1234])", r"1\1", 0),
                (r"[AE]M([^AEIOU1234])", r"1\1", 0), (r"IN([^AEIOU1234])", r"4\1", 0),
                (r"([AEIOUY1234])S([AEIOUY1234])", r"\1Z\2", 0), (r"(?:OE|EU)", "E", 0), (r"AU", "O", 0),
                (r"O[IY]", "2", 0), (r"OU", "3", 0), (r"(?:SCH|CH|SH)", "5", 0), (r"SS", "S", 0),
                (r"SC?([EIY])", r"S\1", 0), (r"(?:GU|QU|Q|C)", "K", 0), (r"G([AOY])", r"K\1", 0)]
PHONEX_RULES = [(re.compile(a), b, n) for a, b, n in PHONEX_RULES]
PHONEX_LETTERS = {"A": "O", "D": "T", "P": "T", "J": "G", "B": "F", "V": "F", "M": "N"}


def phonex(word):
    code = "".join(c for c in word.upper() if "A" <= c <= "Z")
    for regex, template, count in PHONEX_RULES:
        code = regex.sub(template, code, count=count)
    out = []
    for c in (PHONEX_LETTERS.get(c, c) for c in code):
        if not out or out[-1] != c:
            out.append(c)
    if out and out[-1] in "TX":
        out.pop()
    return "".join(out)


def osa(a, b, cap=3):
    if abs(len(a) - len(b)) >= cap:
        return cap
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return min(d[len(a)][len(b)], cap)


class Fit:
    """How well an account fits a query, judged by the query alone and not by any engine: each word costs 0 when it is
    one of the account's words whole, 1 when it starts one, 2 + the edits to the nearest word (within README's
    tolerance: 1 edit from 5 letters, 2 from 9), 5 when it only sounds like one (Phonex), 9 when nothing of the account
    matches it; then the account's name words the query
    left unused; a login prefix typed with its dot (every word of it a prefix of the login) costs 0. An account fits
    at least as well as another when its (total, unused) is no greater: a miss where every account shown instead fits
    at least as well as the intended person is one no engine could avoid but by chance."""

    def __init__(self, db):
        self.db = db
        self.cache = {}

    def account(self, login):
        if login not in self.cache:
            row = self.db.execute("SELECT first_name, last_name, classes FROM account WHERE login = ?", (login,)).fetchone()
            f, l = words(row[0]), words(row[1])
            names = f + l + (["".join(f)] if len(f) > 1 else []) + (["".join(l)] if len(l) > 1 else [])
            classes = [w for c in json.loads(row[2]) for w in words(c)]
            self.cache[login] = (names, names + words(login) + classes, set(f + l))
        return self.cache[login]

    def __call__(self, query, login):
        names, terms, name_words = self.account(login)
        if "." in query and login.startswith(fold(query).strip()):
            return (0, 0)
        total, used = 0, set()
        for w in words(query):
            best, by = 9, None
            for t in terms:
                # The documented tolerance: 1 edit when the longer of the two has 5 letters, 2 from 9; none under 4.
                longer = max(len(w), len(t))
                allowed = 0 if len(w) < 4 else 2 if longer >= 9 else 1 if longer >= 5 else 0
                edits = osa(w, t, 3) if allowed else 3
                cost = 0 if t == w else 1 if t.startswith(w) else 2 + edits if edits <= allowed else 9
                if cost > 4 and len(w) >= 4 and phonex(w) and phonex(w) == phonex(t):
                    cost = 5
                if cost < best:
                    best, by = cost, t
            total += best
            if by is not None and best < 9:
                used.update(x for x in name_words if x == by or (by in names and x in by))
        return (total, len(name_words - used))

    def miss(self, query, intended, shown, n):
        """Why the intended person is missing from the first n shown: "beyond" when a word of the query matches
        nothing of theirs, not even within 2 edits or by sound (out of any documented tolerance); "avoidable" when
        the page had room left, or shows someone who fits the query worse; "tie" otherwise."""
        mine = self(query, intended)
        if mine[0] >= 9:
            return "beyond"
        shown = [s for s in shown[:n] if s != intended]
        if len(shown) < n or any(self(query, s) > mine for s in shown):
            return "avoidable"
        return "tie"


# ---------------------------------------------------------------------------------------------------------- the table

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--per-kind", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--latency", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--skip-fts", action="store_true")
    ap.add_argument("--tsv")
    a = ap.parse_args()
    db = sqlite3.connect(a.db)
    (count,) = db.execute("SELECT count(*) FROM account").fetchone()
    queries = make_queries(db, a.per_kind, a.seed)
    print(f"accounts: {count}; {len(queries)} desk queries", file=sys.stderr)
    ours = guichet(a.bench, a.db, queries, a.runs)
    theirs = fts5(a.db, queries) if not a.skip_fts else [[] for _ in queries]
    t0 = time.time()
    search = tantivy_engine(a.db)
    print(f"tantivy index built in {time.time() - t0:.1f} s", file=sys.stderr)
    tantivy_top, tantivy_ms = [], []
    for _, q, _ in queries:
        best, top = float("inf"), []
        for _ in range(a.runs):
            start = time.perf_counter()
            top = search(q)
            best = min(best, (time.perf_counter() - start) * 1000)
        tantivy_top.append(top)
        tantivy_ms.append(best)
    kinds = list(dict.fromkeys(k for k, _, _ in queries)) + ["all"]
    rows = []
    header = f"{'kind':32}{'n':>6}  {'Guichet @1':>10} {'@3':>6}  {'FTS5 @1':>8} {'@3':>6}  {'tantivy @1':>10} {'@3':>6}"
    if a.latency:
        header += f"  {'Guichet p50':>11} {'p99':>7}  {'tantivy p50':>11} {'p99':>7}"
    # Misses where the intended person was distinguishable (Fit.miss: "avoidable"); the others are ties no engine can
    # break but by chance, or queries beyond any tolerance (a word 3 edits away that sounds different).
    header += f"  {'avoidable misses G @1':>21} {'@3':>4}  {'tantivy @1':>10} {'@3':>4}  {'beyond G @3':>11}"
    # The same hit rates with ties counted as hits (a tie: everyone shown before the intended person fits the query
    # exactly as well, so no ranking could put them first but by chance).
    header += f"  {'ties: G @1':>8} {'@3':>6}  {'tantivy @1':>10} {'@3':>6}"
    fit = Fit(db)
    g = [o[0] for o in ours]
    why = {name: [[fit.miss(q, login, tops[i], n) if login not in tops[i][:n] else "hit" for n in (1, 3)]
                  for i, (_, q, login) in enumerate(queries)]
           for name, tops in (("guichet", g), ("tantivy", tantivy_top))}
    print(header)
    for kind in kinds:
        idx = [i for i, (k, _, _) in enumerate(queries) if kind in ("all", k)]

        def hit(tops, n):
            return sum(queries[i][2] in tops[i][:n] for i in idx) / len(idx)

        line = (f"{kind:32}{len(idx):>6}  {hit(g, 1):>10.3f} {hit(g, 3):>6.3f}  {hit(theirs, 1):>8.3f} {hit(theirs, 3):>6.3f}"
                f"  {hit(tantivy_top, 1):>10.3f} {hit(tantivy_top, 3):>6.3f}")
        gl, tl = [ours[i][1] for i in idx], [tantivy_ms[i] for i in idx]
        if a.latency:
            line += f"  {pct(gl, .5):>11.3f} {pct(gl, .99):>7.3f}  {pct(tl, .5):>11.3f} {pct(tl, .99):>7.3f}"
        av = [sum(why[e][i][n] == "avoidable" for i in idx) for e in ("guichet", "tantivy") for n in (0, 1)]
        beyond = sum(why["guichet"][i][1] == "beyond" for i in idx)
        line += f"  {av[0]:>21} {av[1]:>4}  {av[2]:>10} {av[3]:>4}  {beyond:>11}"

        def fair(e, n):
            """hit@n with ties counted as hits: the share of queries where the intended person is shown in the first
            n, or where everyone shown before them fits the query exactly as well (Fit.miss "tie")."""
            return sum(why[e][i][n > 1] in ("hit", "tie") for i in idx) / len(idx)

        line += f"  {fair('guichet', 1):>8.3f} {fair('guichet', 3):>6.3f}  {fair('tantivy', 1):>10.3f} {fair('tantivy', 3):>6.3f}"
        print(line)
        rows.append("\t".join(map(str, [kind, len(idx), hit(g, 1), hit(g, 3), hit(theirs, 1), hit(theirs, 3),
                                        hit(tantivy_top, 1), hit(tantivy_top, 3), pct(gl, .5), pct(gl, .99),
                                        pct(tl, .5), pct(tl, .99), fair("guichet", 1), fair("guichet", 3),
                                        fair("tantivy", 1), fair("tantivy", 3)])))
    if os.environ.get("SHOW_MISSES"):
        for i, (k, q, login) in enumerate(queries):
            n = int(os.environ.get("SHOW_MISSES"))
            if login not in ours[i][0][:n]:
                fits = {x: fit(q, x) for x in [login] + ours[i][0]}
                print(f"  miss {why['guichet'][i][n > 1]} [{k}] {q!r} -> {ours[i][0]} (meant {login}; tantivy {tantivy_top[i]}; fit {fits})",
                      file=sys.stderr)
    if os.environ.get("SHOW_SLOWEST"):
        for i in sorted(range(len(queries)), key=lambda i: -ours[i][1])[:int(os.environ["SHOW_SLOWEST"])]:
            print(f"  slow {ours[i][1]:.2f} ms [{queries[i][0]}] {queries[i][1]!r}", file=sys.stderr)
    if a.tsv:
        with open(a.tsv, "w") as f:
            f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
