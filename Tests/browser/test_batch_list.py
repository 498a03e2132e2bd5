"""Browser test of the batch screen's whole list, the console's "prétraitement" (Kiosk/web/js/batch-list.js).

A reviewer opens "Lots de fiches", then "Voir la liste complète": the table pages by 25, sorts on a column's title,
searches a column, and shows an activation code only when asked (through the card's route, which journals it).
Closing the dialog takes every row away. Environment and plumbing: test_batches.py's.
"""

import os
import re

import pytest

from test_kiosk import (FR, URL, all_by_testid, by_testid, console_problems, driver, open_page, shot,  # noqa: F401
                        sign_in, visible, wait_for)

REVIEWER = os.environ.get("GUICHET_REVIEWER", "")
REVIEWER_PASSWORD = os.environ.get("GUICHET_REVIEWER_PASSWORD", "")

pytestmark = pytest.mark.skipif(not (URL and REVIEWER), reason="GUICHET_URL or GUICHET_REVIEWER is not set")


def status(driver):
    return by_testid(driver, "batch-table-status").text


def test_the_whole_list_sorts_searches_and_pages(driver):
    open_page(driver)
    sign_in(driver, REVIEWER, REVIEWER_PASSWORD)
    by_testid(driver, "batches-button").click()
    opener = wait_for(driver, lambda d: visible(d, "batch-list-open"), message="no whole-list action")
    wait_for(driver, lambda d: opener.is_enabled(), timeout=20, message="the batch was never counted")
    opener.click()
    wait_for(driver, lambda d: re.match(r"1–\d+ ", status(d)), timeout=20, message="the table did not load")
    total = int(re.search(r"sur ([\d  ]+)", status(driver)).group(1).replace(" ", "").replace(" ", ""))
    rows = all_by_testid(driver, "batch-table-row")
    assert 0 < len(rows) <= 25 and (total <= 25 or len(rows) == 25)

    # Sorting by first name: the first rows come in French order.
    by_testid(driver, "batch-sort-firstName").click()
    wait_for(driver, lambda d: "▲" in by_testid(d, "batch-sort-firstName").text, message="the sort did not apply")
    wait_for(driver, lambda d: re.match(r"1–\d+ ", status(d)), timeout=20)

    # A search in the Class column keeps that class only.
    first_class = all_by_testid(driver, "batch-table-row")[0].find_elements("css selector", "td")[3].text
    by_testid(driver, "batch-search-class").send_keys(first_class)
    wait_for(driver, lambda d: all(r.find_elements("css selector", "td")[3].text == first_class
                                   for r in all_by_testid(d, "batch-table-row")), timeout=20,
             message="the class search kept other classes")
    shot(driver, "21-batch-list")

    # Paging: "Suivants" when there is more than one page.
    if not by_testid(driver, "batch-table-next").get_attribute("disabled"):
        by_testid(driver, "batch-table-next").click()
        wait_for(driver, lambda d: status(d).startswith("26–"), timeout=20, message="the next page did not load")

    by_testid(driver, "batch-table-close").click()
    wait_for(driver, lambda d: not all_by_testid(d, "batch-list-dialog"), message="the dialog did not close")
    assert not all_by_testid(driver, "batch-table-row")
    assert console_problems(driver) == []
