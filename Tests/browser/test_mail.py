"""Browser tests of "Envoyer par e-mail" (issue 8) against a running Guichet server whose [mail] is a real SMTP relay on
loopback (Tests/mail/smtp_server.py, started by Scripts/test).

At the desk, an agent sends an account its sheet from the card and reads "accepted by the relay"; the relay got one
message, for the address on file. On the batch screen, a reviewer picks one class, reads how many e-mails will leave
and how many accounts have no address, confirms, watches the progress until done and downloads the per-message CSV
report: one line per message, each one sent, and the relay got each of them. The plumbing is test_kiosk.py's.

Environment, besides test_kiosk.py's and test_batches.py's: GUICHET_MAIL_DIR, the relay's folder of received
messages (NNNN.eml beside NNNN.json, the envelope); skipped without.
"""

import csv
import json
import os
import pathlib
import time

import pytest

from test_kiosk import (FR, URL, all_by_testid, by_testid, console_problems, driver, open_card_by_login,  # noqa: F401
                        open_page, shot, sign_in, visible, wait_for)
from test_batches import REVIEWER, REVIEWER_PASSWORD, class_chip, counted

MAIL_DIR = pathlib.Path(os.environ["GUICHET_MAIL_DIR"]) if os.environ.get("GUICHET_MAIL_DIR") else None

pytestmark = pytest.mark.skipif(not (URL and MAIL_DIR), reason="GUICHET_URL or GUICHET_MAIL_DIR is not set")


def recipients():
    """Every recipient the relay accepted a message for so far, one entry per message."""
    found = []
    for envelope in sorted(MAIL_DIR.glob("*.json")):
        if envelope.with_suffix(".eml").exists():
            found.extend(json.loads(envelope.read_text())["rcpt_tos"])
    return found


def figure(driver, testid):
    node = visible(driver, testid)
    return int(node.get_attribute("data-value")) if node else None


def test_card_sends_the_sheet_to_the_address_on_file(driver):
    login = "aissatou.ndiaye"  # the demo's parent with an address on file: aissatou.ndiaye@gmail.com
    before = recipients()
    open_page(driver)
    search = sign_in(driver)
    open_card_by_login(driver, search, login)
    button = wait_for(driver, lambda d: visible(d, "email-sheet"), message="no \"Envoyer par e-mail\" on the card")
    assert button.text == FR["email.send"]
    button.click()
    status = wait_for(driver, lambda d: (n := visible(d, "email-status")) and n.get_attribute("data-state") == "sent" and n,
                      timeout=30, message="the relay's acceptance was not shown")
    assert "notice-ok" in status.get_attribute("class")
    masked = status.text.split(" à ", 1)[1].split(" : ", 1)[0]
    assert status.text == FR["email.sent"].replace("{address}", masked), status.text
    shot(driver, "30-card-email-sent")
    after = recipients()
    assert after[len(before):] == ["aissatou.ndiaye@gmail.com"], after[len(before):]
    assert console_problems(driver) == []


def test_reviewer_sends_a_class_batch_by_email(driver, tmp_path):
    if not REVIEWER:
        pytest.skip("GUICHET_REVIEWER is not set")
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    before = recipients()
    open_page(driver)
    sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    by_testid(driver, "batches-button").click()
    wait_for(driver, lambda d: visible(d, "batches-view"), message="the batch view did not show")
    wait_for(driver, lambda d: all_by_testid(d, "batch-class"), message="no class chips")
    everyone = wait_for(driver, counted, message="no count for the default selection")
    # The last class, not test_batches' first: its students get the mail.
    chosen = all_by_testid(driver, "batch-class")[-1].get_attribute("value")
    class_chip(driver, chosen).click()
    wait_for(driver, lambda d: (counted(d) or everyone) < everyone, message="picking a class did not change the count")
    count = wait_for(driver, counted, message="no count for the class")

    mail = by_testid(driver, "batch-mail")
    assert mail.is_displayed() and mail.text == FR["email.send"]
    mail.click()
    wait_for(driver, lambda d: visible(d, "mail-dialog"), message="the e-mail dialog did not open")
    to_send = wait_for(driver, lambda d: figure(d, "mail-to-send"), message="no count of e-mails to send")
    without = figure(driver, "mail-without-address")
    assert to_send + without == count, (to_send, without, count)
    assert to_send > 0
    confirm = by_testid(driver, "mail-confirm")
    assert confirm.text == FR["mail.sendMany"].replace("{n}", str(to_send))
    shot(driver, "31-batch-mail-confirm")
    confirm.click()

    summary = wait_for(driver, lambda d: (n := visible(d, "mail-summary")) and n.get_attribute("data-done") == "yes" and n,
                       timeout=60, message="the batch did not finish")
    assert figure(driver, "mail-sent") == to_send and figure(driver, "mail-failed") == 0 and figure(driver, "mail-waiting") == 0
    assert summary.text == FR["mail.doneAllSent"].replace("{n}", str(to_send)), summary.text
    assert "null" not in by_testid(driver, "mail-dialog").text
    shot(driver, "32-batch-mail-done")

    # The per-message report: a header, then one line per message, each one sent.
    report = by_testid(driver, "mail-report")
    name = report.get_attribute("download")
    report.click()
    file = tmp_path / name
    deadline = time.monotonic() + 10
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    rows = list(csv.DictReader(file.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == to_send, rows
    assert all(r["state"] == "sent" and r["smtp_code"] == "250" and r["message_id"] for r in rows), rows
    assert len({r["login"] for r in rows}) == to_send
    assert sorted(recipients()[len(before):]) == sorted(r["address"] for r in rows)

    by_testid(driver, "mail-close").click()
    wait_for(driver, lambda d: not all_by_testid(d, "mail-dialog"), message="the e-mail dialog did not close")
    assert console_problems(driver) == []
