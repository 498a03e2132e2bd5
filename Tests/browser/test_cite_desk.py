"""Browser test of the desk on the two-structure export (Kiosk/web/js/search.js, card.js).

A class both lycées have ("2NDE 1"), typed in the search box, finds both schools' accounts, each result's class with
its school's short name (the batch screen's); asked for as a filter without its school, it is refused naming both.
The card of an account gone from the export (Scripts/test imports that export again without Zoé Gérard) refuses to
show its activation code, in French, and shows it to a reviewer who ticks the confirmation, journalled as such.

Environment: GUICHET_CITE_URL (a server on such an export, where zoe.gerard is gone; skipped without),
GUICHET_REVIEWER and GUICHET_REVIEWER_PASSWORD (a reviewer there).
"""

import os
import re

import pytest

import test_kiosk
from test_kiosk import (all_by_testid, by_testid, console_problems, driver, fetch_json, open_card_by_login,  # noqa: F401
                        open_page, plain, shot, sign_in, visible, wait_for)

CITE_URL = os.environ.get("GUICHET_CITE_URL", "").rstrip("/")
REVIEWER = os.environ.get("GUICHET_REVIEWER", "")
REVIEWER_PASSWORD = os.environ.get("GUICHET_REVIEWER_PASSWORD", "")

pytestmark = pytest.mark.skipif(not (CITE_URL and REVIEWER), reason="GUICHET_CITE_URL or GUICHET_REVIEWER is not set")


def test_a_class_both_schools_have_shows_each_results_school(driver, monkeypatch):
    monkeypatch.setattr(test_kiosk, "URL", CITE_URL)
    open_page(driver)
    search = sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    status, listed = fetch_json(driver, "/api/v1/classes")
    shorts = {e["structureShort"] for e in listed["entries"] if e["name"] == "2NDE 1" and e.get("structure")}
    assert status == 200 and len(shorts) == 2, shorts
    # Both schools' accounts, each class saying whose it is (the API's whole answer; the page shows its first rows).
    status, found = fetch_json(driver, "/api/v1/accounts?q=2nde%201&limit=100")
    # (A teacher or parent of both keeps the bare "2NDE 1".)
    labels = {c for r in found["results"] for c in r["classes"] if c.startswith("2NDE 1 · ")}
    assert status == 200 and labels == {f"2NDE 1 · {s}" for s in shorts}, labels
    search.send_keys("2nde 1")
    wait_for(driver, lambda d: len(all_by_testid(d, "result-row")) > 0, message="no result for 2nde 1")
    rows = [plain(r.text) for r in all_by_testid(driver, "result-row")]
    assert any("2NDE 1 · " in row for row in rows), rows
    shot(driver, "27-search-two-schools-class")
    assert not console_problems(driver)
    # Asked for as a filter without its school: refused, naming both (last: the browser logs the 400).
    status, refused = fetch_json(driver, "/api/v1/accounts?class=2NDE%201")
    assert status == 400 and refused["code"] == "bad-filter", refused


def test_a_gone_accounts_code_is_refused_in_french_and_shown_to_a_reviewer_who_confirms(driver, monkeypatch):
    monkeypatch.setattr(test_kiosk, "URL", CITE_URL)
    open_page(driver)
    search = sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    open_card_by_login(driver, search, "zoe.gerard")
    wait_for(driver, lambda d: visible(d, "card-gone"), message="the card does not say Zoé Gérard left the export")
    by_testid(driver, "reveal-code").click()
    error = wait_for(driver, lambda d: visible(d, "code-error") and by_testid(d, "code-error"),
                     message="no refusal for a gone account's code")
    assert "n'est plus dans l'export de l'ENT" in plain(error.text) and "code d'activation" in plain(error.text)
    assert not all_by_testid(driver, "activation-code")
    shot(driver, "28-card-gone-code-refused")

    by_testid(driver, "card-confirm-gone").click()
    by_testid(driver, "reveal-code").click()
    code = wait_for(driver, lambda d: visible(d, "activation-code") and by_testid(d, "activation-code"),
                    message="the confirmed code did not show")
    assert re.sub(r"\s", "", code.text) == "zk7mrp4t"
    status, review = fetch_json(driver, "/api/v1/journal")
    revealed = [e for e in review["entries"] if e["action"] == "code-revealed" and e.get("target") == "zoe.gerard"]
    assert status == 200 and revealed and revealed[-1]["details"].get("goneConfirmed") is True, revealed
    # The one error the browser logged is the refusal's 409.
    assert all("status of 409" in p for p in console_problems(driver)), console_problems(driver)
