"""Browser test of the batch screen on an export of two structures (Kiosk/web/js/batches.js, batch-view.js).

Two lycées in one export (Scripts/demo-export.py above 5,000 accounts), both with a "2NDE 1": the screen shows two
chips "2NDE 1", each with its school's short name, side by side; ticking one counts that school's class only, the
same number the API gives for that (structure, class) pair, and the printed batch's journal row names the pair.

Environment: GUICHET_CITE_URL (a server on such an export; skipped without), GUICHET_REVIEWER and
GUICHET_REVIEWER_PASSWORD (a reviewer there).
"""

import os

import pytest

import test_kiosk
from test_batches import api_response, counted
from test_kiosk import (all_by_testid, by_testid, console_problems, driver, fetch_json, open_page, shot,  # noqa: F401
                        sign_in, visible, wait_for)

CITE_URL = os.environ.get("GUICHET_CITE_URL", "").rstrip("/")
REVIEWER = os.environ.get("GUICHET_REVIEWER", "")
REVIEWER_PASSWORD = os.environ.get("GUICHET_REVIEWER_PASSWORD", "")

pytestmark = pytest.mark.skipif(not (CITE_URL and REVIEWER), reason="GUICHET_CITE_URL or GUICHET_REVIEWER is not set")


def post_json(driver, path, body):
    """POST a JSON body from inside the page, with the session's CSRF token: [status, body]."""
    return driver.execute_async_script(
        """
        const [path, body, done] = arguments;
        fetch('/api/v1/session', {credentials: 'same-origin'}).then((r) => r.json()).then((s) =>
          fetch(path, {method: 'POST', credentials: 'same-origin', cache: 'no-store',
                       headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
                       body: JSON.stringify(body)}))
          .then(async (r) => done([r.status, await r.json().catch(() => null)]))
          .catch((e) => done([0, String(e)]));
        """,
        path, body,
    )


def test_a_class_two_schools_have_is_two_chips_each_counting_its_own_school(driver, monkeypatch):
    monkeypatch.setattr(test_kiosk, "URL", CITE_URL)
    open_page(driver)
    sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    by_testid(driver, "batches-button").click()
    wait_for(driver, lambda d: visible(d, "batches-view"), message="the batch view did not show")
    wait_for(driver, lambda d: len(all_by_testid(d, "batch-class")) > 0, message="no class chips")

    chips = [c for c in all_by_testid(driver, "batch-class") if c.get_attribute("value") == "2NDE 1"]
    assert len(chips) == 2, [c.get_attribute("data-structure") for c in chips]
    structures = [c.get_attribute("data-structure") for c in chips]
    assert len(set(structures)) == 2 and all(structures)
    # Side by side in one level row, each saying whose it is; a class of one school only says nothing more.
    labels = [c.find_element("xpath", "..").text for c in chips]
    assert labels[0] != labels[1] and all(label.startswith("2NDE 1") for label in labels), labels
    assert chips[0].find_element("xpath", "../..") == chips[1].find_element("xpath", "../..")
    shot(driver, "25-batches-two-structures")

    # Ticking the first counts its school's class only: the API's count for that pair, not both schools'.
    wait_for(driver, counted, message="no count for the default selection")
    chips[0].find_element("xpath", "..").click()
    pair = {"structure": structures[0], "name": "2NDE 1"}
    status, one = post_json(driver, "/api/v1/batches/preview", {"filters": {"classes": [pair], "profiles": ["student"]}})
    assert status == 200 and one["count"] > 0, one
    status, both = post_json(driver, "/api/v1/batches/preview", {"filters": {
        "classes": [pair, {"structure": structures[1], "name": "2NDE 1"}], "profiles": ["student"]}})
    assert status == 200 and both["count"] > one["count"], both
    wait_for(driver, lambda d: counted(d) == one["count"], message=f"the screen did not count {one['count']}")
    # The names listed say which school's "2NDE 1" they are in.
    status, listed = fetch_json(driver, "/api/v1/classes")
    short = next(e["structureShort"] for e in listed["entries"] if e.get("structure") == structures[0])
    details = [n.find_element("css selector", ".batch-name-details").text for n in all_by_testid(driver, "batch-name")]
    assert details and all(d.startswith(f"2NDE 1 · {short}") for d in details), details
    shot(driver, "26-batches-one-school-class")

    # Printed: the journal row names the pair.
    by_testid(driver, "batch-print").click()
    wait_for(driver, lambda d: visible(d, "batch-dialog"), message="the batch dialog did not show")
    answer = api_response(driver, "/api/v1/batches")
    assert answer["status"] == 200 and answer["headers"].get("x-guichet-count") == str(one["count"])
    by_testid(driver, "batch-dialog-close").click()
    status, review = fetch_json(driver, "/api/v1/journal")
    printed = [e for e in review["entries"] if e["action"] == "batch-printed" and e.get("staff") == REVIEWER][-1]
    assert printed["details"]["filter"]["classes"] == [pair], printed["details"]["filter"]
    assert not console_problems(driver)

    # Named alone, the class is refused with the two schools' names (last: the browser logs the 400).
    status, refused = post_json(driver, "/api/v1/batches/preview", {"filters": {"classes": ["2NDE 1"]}})
    assert status == 400 and refused["code"] == "bad-filter" and all(s in refused["detail"] for s in structures), refused
