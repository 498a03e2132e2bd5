"""Browser test of the reviewer's journal view (Kiosk/web/js/journal.js) against a running Guichet server.

A reviewer signs in after a failed sign-in, opens Journal, finds the failure flagged, checks the report's PDF, signs
the day off, filters by action and goes back to the desk; an agent has no journal. The plumbing (driver, waits,
console checks) is test_kiosk.py's.

Environment, besides test_kiosk.py's: GUICHET_REVIEWER, GUICHET_REVIEWER_PASSWORD (a demo reviewer; skipped without).
"""

import os
import secrets

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from test_kiosk import (FR, URL, all_by_testid, by_testid, console_problems, driver, fetch_json, open_page, shot,  # noqa: F401
                        sign_in, visible, wait_for)

REVIEWER = os.environ.get("GUICHET_REVIEWER", "")
REVIEWER_PASSWORD = os.environ.get("GUICHET_REVIEWER_PASSWORD", "")

pytestmark = pytest.mark.skipif(not (URL and REVIEWER), reason="GUICHET_URL or GUICHET_REVIEWER is not set")


def fetch_head(driver, path):
    """GET a same-origin path from inside the page: [status, content type, its first five bytes as text]."""
    return driver.execute_async_script(
        """
        const [path, done] = arguments;
        fetch(path, {credentials: 'same-origin', cache: 'no-store'})
          .then(async (r) => done([r.status, r.headers.get('content-type'),
                                   new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))]))
          .catch((e) => done([0, String(e), '']));
        """,
        path,
    )


def before_placeholder(template):
    """The fixed start of an i18n sentence, up to its first {placeholder}."""
    return template.split("{")[0]


def test_reviewer_reads_prints_and_signs_off_the_day(driver):
    open_page(driver)
    # A failed sign-in first (an unknown name, so nobody gets locked out): the review must flag it.
    intruder = f"intrus-{secrets.token_hex(3)}"
    by_testid(driver, "login-input").send_keys(intruder)
    by_testid(driver, "password-input").send_keys("not the password" + Keys.ENTER)
    wait_for(driver, lambda d: d.find_element(By.ID, "signin-error").is_displayed(), message="no error after a wrong password")
    sign_in(driver, REVIEWER, REVIEWER_PASSWORD)

    button = by_testid(driver, "journal-button")
    assert button.is_displayed() and button.text == FR["header.journal"]
    button.click()
    wait_for(driver, lambda d: visible(d, "journal-head"), message="the journal view did not show")
    assert not by_testid(driver, "search-input").is_displayed(), "the desk stays hidden under the journal"
    assert by_testid(driver, "journal-button").text == FR["header.desk"]
    status, review = fetch_json(driver, "/api/v1/journal")
    assert status == 200, review
    assert by_testid(driver, "journal-day").get_attribute("value") == review["day"]

    # Flagged by the name's keyed fingerprint: the text typed (perhaps a password) is never shown (issue 18).
    def flag_for_intruder(d):
        return any(f.get_attribute("data-kind") == "sign-in-failures" and "#" in f.text for f in all_by_testid(d, "journal-flag"))

    wait_for(driver, flag_for_intruder, message="the failed sign-in is not flagged")
    assert intruder not in driver.find_element(By.TAG_NAME, "body").text
    assert all_by_testid(driver, "journal-entry"), "no entries shown"
    assert REVIEWER in by_testid(driver, "journal-by-staff").text
    assert FR["action.sign-in-failed"] in by_testid(driver, "journal-by-action").text
    head_seq = review["head"]["seq"]
    assert str(head_seq) in by_testid(driver, "journal-head").text
    assert review["head"]["hash"][:8] in by_testid(driver, "journal-hash").text
    if not review["signOffs"]:  # a fresh demo database: nobody has signed today off yet
        assert by_testid(driver, "journal-not-signed").text == FR["journal.notSignedOff"]
    shot(driver, "09-journal")

    # The report: a PDF of that day, opened in a new tab by the link.
    report = by_testid(driver, "journal-report")
    assert report.text == FR["journal.print"] and report.get_attribute("target") == "_blank"
    assert report.get_attribute("href").endswith(f"/api/v1/journal/report?day={review['day']}")
    status, content_type, magic = fetch_head(driver, f"/api/v1/journal/report?day={review['day']}")
    assert (status, content_type, magic) == (200, "application/pdf", "%PDF-")

    # "Valider la journée": recorded, shown, and not twice for the same head.
    signoff = by_testid(driver, "journal-signoff")
    assert signoff.text == FR["journal.signoff"]
    signoff.click()
    status_line = by_testid(driver, "journal-status")
    wait_for(driver, lambda d: status_line.text.startswith(before_placeholder(FR["journal.signedOff"])),
             message="no confirmation after Valider la journée")
    wait_for(driver, lambda d: visible(d, "journal-signoff-line"), message="the sign-off is not listed")
    shot(driver, "10-journal-signed-off")
    assert not by_testid(driver, "journal-signoff").is_enabled(), "nothing new to sign off, yet the button is enabled"
    driver.execute_script("arguments[0].scrollIntoView()", all_by_testid(driver, "journal-entry")[0])
    shot(driver, "11-journal-entries")

    # Filters: only the sign-offs.
    Select(by_testid(driver, "journal-action")).select_by_value("review-signed-off")
    wait_for(driver, lambda d: all_by_testid(d, "journal-entry")
             and all(e.get_attribute("data-action") == "review-signed-off" for e in all_by_testid(d, "journal-entry")),
             message="the action filter did not narrow the entries")

    # Back to the desk: the journal leaves the DOM.
    by_testid(driver, "journal-button").click()
    wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not come back")
    assert not all_by_testid(driver, "journal-entry") and not all_by_testid(driver, "journal-flag")
    assert console_problems(driver) == []


def test_an_agent_has_no_journal(driver):
    open_page(driver)
    sign_in(driver)
    assert not by_testid(driver, "journal-button").is_displayed()
    assert fetch_json(driver, "/api/v1/journal")[0] == 403
    assert not by_testid(driver, "journal-view").is_displayed()
