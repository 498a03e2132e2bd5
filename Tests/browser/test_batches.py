"""Browser test of the reviewer's batches of sheets (Kiosk/web/js/batches.js) against a running Guichet server.

A reviewer opens "Lots de fiches", ticks a whole level and unticks it, picks one class, reads the count, prints the
batch (the PDF shown in a frame: the POST's answer read from the DevTools log) and exports it as CSV (the downloaded
file read back); both are journalled; back at the desk nothing of the batch is left. An agent has no such view. The
plumbing (driver, waits, console checks) is test_kiosk.py's.

Environment, besides test_kiosk.py's: GUICHET_REVIEWER, GUICHET_REVIEWER_PASSWORD (a demo reviewer; skipped without).
"""

import json
import os
import re
import time

import pytest

from test_kiosk import (FR, URL, all_by_testid, by_testid, console_problems, driver, fetch_json, open_page, shot,  # noqa: F401
                        sign_in, visible, wait_for)

REVIEWER = os.environ.get("GUICHET_REVIEWER", "")
REVIEWER_PASSWORD = os.environ.get("GUICHET_REVIEWER_PASSWORD", "")

pytestmark = pytest.mark.skipif(not (URL and REVIEWER), reason="GUICHET_URL or GUICHET_REVIEWER is not set")


def api_response(driver, path):
    """The last answer to a request whose URL ends with `path`, from the DevTools log: status, mimeType, headers."""
    found = None
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived" and message["params"]["response"].get("url", "").endswith(path):
            found = message["params"]["response"]
    assert found, f"no answer to {path} in the DevTools log"
    headers = {name.lower(): value for name, value in found.get("headers", {}).items()}
    return {"status": found.get("status"), "mimeType": found.get("mimeType"), "headers": headers}


def class_chip(driver, name):
    return next(c for c in all_by_testid(driver, "batch-class") if c.get_attribute("value") == name)


def counted(driver):
    """The count once the preview has answered: "28 comptes" → 28 (None while counting)."""
    node = by_testid(driver, "batch-count")
    match = re.fullmatch(r"(\d[\d\u202f\u00a0 ]*) comptes?", node.text)
    if not match or "is-waiting" in (node.get_attribute("class") or ""):
        return None
    return int(re.sub(r"\D", "", match.group(1)))


def test_reviewer_prints_and_exports_a_class_batch(driver, tmp_path):
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    open_page(driver)
    sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    button = by_testid(driver, "batches-button")
    assert button.is_displayed() and button.text == FR["header.batches"]
    button.click()
    wait_for(driver, lambda d: visible(d, "batches-view"), message="the batch view did not show")
    assert not by_testid(driver, "search-input").is_displayed(), "the desk stays hidden under the batches"
    assert by_testid(driver, "batches-button").text == FR["header.desk"]

    # The classes offered are the server's, in its (school) order; students only, present in the export, by default.
    status, listed = fetch_json(driver, "/api/v1/classes")
    assert status == 200 and listed["classes"], listed
    wait_for(driver, lambda d: len(all_by_testid(d, "batch-class")) == len(listed["classes"]), message="no class chips")
    assert [c.get_attribute("value") for c in all_by_testid(driver, "batch-class")] == listed["classes"]
    assert by_testid(driver, "batch-profile-student").is_selected()
    everyone = wait_for(driver, counted, message="no count for the default selection")
    shot(driver, "20-batches")

    # A whole level ticks and locks its classes; unticked, it frees them.
    level = listed["classes"][-1].split()[0]
    by_testid(driver, f"batch-level-{level}").click()
    in_level = [c for c in all_by_testid(driver, "batch-class") if c.get_attribute("data-level") == level]
    assert in_level and all(c.is_selected() and not c.is_enabled() for c in in_level)
    by_testid(driver, f"batch-level-{level}").click()
    assert all(not c.is_selected() and c.is_enabled() for c in in_level)

    # One class: the count drops, and the names listed are that class's students.
    chosen = listed["classes"][0]
    class_chip(driver, chosen).click()
    wait_for(driver, lambda d: (counted(d) or everyone) < everyone, message="picking a class did not change the count")
    count = wait_for(driver, counted, message="no count for the class")
    # Read through wait_for: an answer arriving meanwhile redraws the list (a node read mid-render is read again).
    texts = wait_for(driver, lambda d: [n.text for n in all_by_testid(d, "batch-name")], message="no names for the class")
    assert all(f"{chosen} · {FR['profile.Student']}" in text for text in texts), texts
    assert by_testid(driver, "batch-classes-note").text == FR["batch.classesOne"]
    shot(driver, "21-batches-class")

    # "Imprimer le lot": the POST answers a PDF of that many sheets, shown in a frame from an object URL.
    driver.get_log("performance")  # forget the earlier requests
    by_testid(driver, "batch-print").click()
    frame = wait_for(driver, lambda d: visible(d, "batch-frame"), timeout=30, message="no PDF came back")
    assert frame.get_attribute("src").startswith("blob:")
    response = api_response(driver, "/api/v1/batches")
    assert response["status"] == 200 and response["mimeType"] == "application/pdf", response
    assert response["headers"].get("x-guichet-count") == str(count), response["headers"]
    number = response["headers"].get("x-guichet-sheet")
    dialog = by_testid(driver, "batch-dialog")
    assert f"n° {number}" in dialog.text and f"{count} fiches" in dialog.text, dialog.text
    shown = driver.execute_script("return arguments[0].contentDocument && arguments[0].contentDocument.contentType", frame)
    assert shown == "application/pdf", f"the frame does not show a PDF: {shown!r}"
    shot(driver, "22-batch-print")
    by_testid(driver, "batch-dialog-close").click()
    wait_for(driver, lambda d: not all_by_testid(d, "batch-dialog"), message="the print dialog did not close")
    assert not all_by_testid(driver, "batch-frame")

    # "Exporter en CSV": the console's list of the same accounts, downloaded through an <a download>.
    by_testid(driver, "batch-csv").click()
    notice = wait_for(driver, lambda d: visible(d, "batch-status"), timeout=30, message="no word after the export")
    assert "notice-ok" in notice.get_attribute("class"), notice.text
    response = api_response(driver, "/api/v1/batches/csv")
    assert response["status"] == 200 and response["mimeType"] == "text/csv", response
    assert response["headers"].get("x-guichet-count") == str(count)
    file = tmp_path / f"selection-{response['headers']['x-guichet-journal']}.csv"
    assert file.name in notice.text.replace("\u2011", "-")
    deadline = time.monotonic() + 10
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('\ufeff"Nom";"Prénom";"Profil";"Login"'), lines[0]
    assert len(lines) == count + 1 and all(f'"{chosen}"' in line or f"{chosen}," in line or f", {chosen}" in line
                                           for line in lines[1:])
    shot(driver, "23-batch-exported")

    # Both are in today's journal, under the reviewer's name.
    status, review = fetch_json(driver, "/api/v1/journal")
    mine = {e["action"] for e in review["entries"] if e.get("staff") == REVIEWER}
    assert {"batch-printed", "batch-exported"} <= mine, mine

    # "Tout effacer": back to the defaults, every class unticked.
    by_testid(driver, "batch-reset").click()
    wait_for(driver, lambda d: counted(d) == everyone, message="Tout effacer did not bring the default count back")
    assert not class_chip(driver, chosen).is_selected() and by_testid(driver, "batch-profile-student").is_selected()
    assert by_testid(driver, "batch-classes-note").text == FR["batch.classesAll"]

    # Back to the desk: the names leave the DOM.
    by_testid(driver, "batches-button").click()
    wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not come back")
    assert not all_by_testid(driver, "batch-name") and not all_by_testid(driver, "batch-class")
    assert by_testid(driver, "batches-button").text == FR["header.batches"]
    assert console_problems(driver) == []


def test_an_agent_has_no_batches(driver):
    open_page(driver)
    sign_in(driver)
    assert not by_testid(driver, "batches-button").is_displayed()
    assert not by_testid(driver, "batches-view").is_displayed()
    assert console_problems(driver) == []
