"""Search as you type answers each keystroke within 100 ms, end to end, against a large database (issue 21).

End to end: the Performance API's "guichet:search" entries (js/search.js), from the input event of a keystroke to the
frame after the rows it asked for were drawn — the debounce, the fetch, the server's search and journal row, the JSON,
the DOM, the layout. The desk's queries are typed one key at a time, each waiting for its answer (an agent reads as
she types), in a real Chromium at 1366×768, in GUICHET_LATENCY_PASSES passes (3): a keystroke fails when it is over
the limit in every pass.

Environment: GUICHET_LARGE_URL (a server on the large database; skipped without), GUICHET_LARGE_ACCOUNTS (its size,
for the report), GUICHET_AGENT and GUICHET_PASSWORD (an agent there too); GUICHET_LATENCY_LIMIT_MS (100);
GUICHET_LATENCY_JSON: where the figures are written (default $GUICHET_SHOTS/desk-latency.json).
Scripts/test runs it on a database made for the run; Scripts/bench's "desk" section on the 1,000,000-account one.
"""

import json
import os
import statistics
import time

import pytest
from selenium.webdriver.common.by import By

from test_kiosk import SHOTS, all_by_testid, console_problems, driver, open_page, sign_in, wait_for  # noqa: F401
import test_kiosk

LARGE_URL = os.environ.get("GUICHET_LARGE_URL", "").rstrip("/")
ACCOUNTS = os.environ.get("GUICHET_LARGE_ACCOUNTS", "?")
LIMIT_MS = float(os.environ.get("GUICHET_LATENCY_LIMIT_MS", "100"))
PASSES = int(os.environ.get("GUICHET_LATENCY_PASSES", "3"))
REPORT = os.environ.get("GUICHET_LATENCY_JSON", str(SHOTS / "desk-latency.json"))

pytestmark = pytest.mark.skipif(not LARGE_URL, reason="GUICHET_LARGE_URL is not set: no large database to search")

# What the desk types: a last name, first + last, a common prefix, a login, a near spelling, a class with a name,
# accents left out and apostrophes in.
QUERIES = ["gerard zoe", "nathanael ndiaye", "martin camille", "lefevre coeur", "nguyen van an", "mar",
           "zoe.gerard", "aisatou", "2nde 3 martin", "leroux"]


def measures(driver):
    return driver.execute_script("return performance.getEntriesByName('guichet:search').map((e) => [e.duration, e.detail.rows])")


def last_fetch_ms(driver):
    """The last search request's own time (Resource Timing: request sent → last byte), the server's share."""
    return driver.execute_script("""
        const r = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/accounts?'));
        return r.length ? r[r.length - 1].duration : null""")


def type_queries(driver, search):
    """Types every query one key at a time, each key after the answer to the previous one; per query, the
    keystroke → rows drawn times (from the second letter: one letter asks nothing) and the requests' own times."""
    per_query, fetches = {}, []
    for query in QUERIES:
        search.clear()
        driver.execute_script("performance.clearMeasures('guichet:search'); performance.clearResourceTimings()")
        times = []
        for index, char in enumerate(query):
            before = len(measures(driver))
            search.send_keys(char)
            if index == 0:
                continue  # one letter: no search (MIN_LENGTH 2)
            wait_for(driver, lambda d: len(measures(d)) > before, timeout=5,
                     message=f"no answer to the keystroke {query[:index + 1]!r}")
            times.append(round(measures(driver)[-1][0], 1))
            fetches.append(last_fetch_ms(driver) or 0.0)
        assert all_by_testid(driver, "result-row") or "Aucun" in driver.find_element(By.ID, "search-status").text
        per_query[query] = times
    return per_query, fetches


def summary(values):
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
            "max_ms": round(max(values), 1)}


def line(figures):
    """The figures in one sentence (Scripts/test prints it: `python3 Tests/browser/test_desk_latency.py`)."""
    e, b, r = figures["every_time"], figures["best_of_passes"], figures["request"]
    return (f"search as you type, {figures['accounts']} accounts, {figures['keystrokes']} keystrokes × {figures['passes']} "
            f"passes, keystroke → rows drawn: p50 {e['p50_ms']} ms, p95 {e['p95_ms']} ms, max {e['max_ms']} ms (each "
            f"keystroke's best: p50 {b['p50_ms']} ms, max {b['max_ms']} ms; "
            f"the request alone: p50 {r['p50_ms']} ms, max {r['max_ms']} ms; load average {' '.join(figures['load_average'] or [])})")


def test_each_keystroke_is_answered_within_100_ms_on_the_large_database(driver, monkeypatch):
    monkeypatch.setattr(test_kiosk, "URL", LARGE_URL)
    open_page(driver)
    search = sign_in(driver)
    search.send_keys("zz")  # a first search: the connection and the page's code warmed up, as at the desk
    wait_for(driver, lambda d: len(measures(d)) == 1, message="no timing for the warm-up search")

    # Several passes over the same keystrokes; each keystroke keeps its best time, so that a moment when the machine
    # (2 cores, shared in CI) was busy elsewhere is not blamed on the search, while a keystroke that is slow every time
    # still fails.
    passes, fetches = [], []
    for _ in range(PASSES):
        times, requests = type_queries(driver, search)
        passes.append(times)
        fetches += requests
    best = {q: [min(ts) for ts in zip(*(p[q] for p in passes))] for q in QUERIES}
    raw = [t for p in passes for ts in p.values() for t in ts]
    kept = [t for ts in best.values() for t in ts]
    figures = {
        "accounts": ACCOUNTS,
        "keystrokes": len(kept),
        "every_time": summary(raw),
        "passes": PASSES,
        "best_of_passes": summary(kept),
        "request": summary(fetches),
        "request_ms": [round(f, 1) for f in fetches],
        "limit_ms": LIMIT_MS,
        "per_query_ms": {q: [p[q] for p in passes] for q in QUERIES},
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_average": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None,
    }
    with open(REPORT, "w") as f:
        json.dump(figures, f, indent=1, ensure_ascii=False)
    print("\n" + line(figures))
    slow = {q: [t for t in ts if t > LIMIT_MS] for q, ts in best.items() if any(t > LIMIT_MS for t in ts)}
    assert not slow, f"keystrokes answered after {LIMIT_MS:.0f} ms in every pass: {slow}"
    assert console_problems(driver) == []


if __name__ == "__main__":
    print(line(json.load(open(REPORT))))
