"""The desk at the speed of a conversation (issue 21), in Chromium at the front desk's 1366×768.

- A person known by name reaches a printed sheet with the query and 4 more key presses (Entrée, Ctrl+P, a digit,
  Entrée), every key counted by a listener in the page; a screenshot of each step (desk-0N-*.png) for README.
- Échap goes back one step at a time; Ctrl+M shows and hides the activation code, Ctrl+R issues a renewal code and
  Ctrl+P then prints its slip; the arrows change the sheet's recipient; Ctrl+P never reaches the browser's printing;
  every shortcut is shown on its button.
- Once a sheet is printed the desk is cleared for the next person after the configured delay (Échap keeps the card);
  after the idle lock nothing of the previous person is left in the page.
- At 1366×768 the card shows identity, state, the code's action, the family and the contact without scrolling, and
  every touch target is at least 44 px; at 125 % zoom nothing is cut or overflows.

The plumbing (driver, waits, console checks) is test_kiosk.py's; the demo personas are Scripts/demo-export.py's.
"""

import json
import re
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from test_kiosk import (FR, SHOTS, URL, all_by_testid, by_testid, card_name, console_problems, driver,  # noqa: F401
                        fetch_json, open_page, plain, sheet_response, shot, sign_in, visible, wait_for)

pytestmark = pytest.mark.skipif(not URL, reason="GUICHET_URL is not set: start a Guichet server first")

CTRL = FR["keys.ctrl"]
MIN_TARGET = 44  # px: WCAG 2.5.5's touch target
FACT_EMAIL = "fact:" + FR["card.email"]  # a fact of the card, by its label
FACT_PHONE = "fact:" + FR["card.phone"]

# Every key the page sees, and whether the page kept Ctrl+P from the browser (read back by the tests).
KEY_LOG = """
window.guichetKeys = [];
window.addEventListener('keydown', (e) => {
  if (['Control', 'Shift', 'Alt', 'Meta'].includes(e.key)) return;  // a chord is one press: Ctrl+P counts once
  window.guichetKeys.push({key: e.key, ctrl: e.ctrlKey, prevented: e.defaultPrevented});
});
"""


def keys_seen(driver):
    return driver.execute_script("return window.guichetKeys")


def press(driver, *keys):
    """Key presses sent to whatever has the focus, as a person at the keyboard would."""
    actions = ActionChains(driver)
    for key in keys:
        if isinstance(key, tuple):  # a chord: (Keys.CONTROL, "p")
            actions.key_down(key[0]).send_keys(key[1]).key_up(key[0])
        else:
            actions.send_keys(key)
    actions.perform()


def first_row_is(driver, login):
    rows = all_by_testid(driver, "result-row")
    return bool(rows) and rows[0].get_attribute("data-login") == login and rows[0].get_attribute("aria-selected") == "true"


def dialog_open(driver):
    return visible(driver, "sheet-dialog")


def shortcut(driver, testid):
    return by_testid(driver, testid).get_attribute("data-shortcut")


def config(driver):
    status, body = fetch_json(driver, "/api/v1/config")
    assert status == 200, body
    return body


def print_zoe(driver, search, step_shots=False):
    """Query, then Entrée, Ctrl+P, 1, Entrée: Zoé Gérard's sheet, printed; returns the sheet's number."""
    query = "zoe gerard"
    search.send_keys(query)
    wait_for(driver, lambda d: first_row_is(d, "zoe.gerard"), message="Zoé Gérard is not the first, selected row")
    if step_shots:
        shot(driver, "desk-01-query")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: "Zoé" in card_name(d), message="Entrée did not open Zoé's card")
    wait_for(driver, lambda d: visible(d, "print-sheet") and shortcut(d, "print-sheet") == f"{CTRL}+P",
             message="the card's print button does not show Ctrl+P")
    if step_shots:
        shot(driver, "desk-02-card")
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, dialog_open, message="Ctrl+P did not open the sheet dialog")
    assert by_testid(driver, "sheet-recipient-self").is_selected(), "the account holder is not preselected"
    if step_shots:
        shot(driver, "desk-03-dialog")
    press(driver, "1")
    assert by_testid(driver, "sheet-idCheck-cni").is_selected(), "1 did not choose the identity card"
    if step_shots:
        shot(driver, "desk-04-document")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: visible(d, "sheet-frame") or re.search(r"n° \d+", by_testid(d, "sheet-status").text),
             timeout=20, message="Entrée did not print the sheet")
    number = re.search(r"n° (\d+)", by_testid(driver, "sheet-status").text).group(1)
    return query, number


# ——— (1) and (3): the keyboard, counted ———


def test_a_known_person_reaches_a_printed_sheet_with_the_query_and_four_key_presses(driver):
    open_page(driver)
    search = sign_in(driver)
    driver.execute_script(KEY_LOG)
    query, number = print_zoe(driver, search, step_shots=True)
    response = sheet_response(driver)
    assert response["status"] == 200 and response["headers"].get("x-guichet-sheet") == number, response
    shot(driver, "desk-05-printed")

    seen = keys_seen(driver)
    typed, after = seen[:len(query)], seen[len(query):]
    assert "".join(k["key"] for k in typed) == query
    assert [(k["key"].lower(), k["ctrl"]) for k in after] == [("enter", False), ("p", True), ("1", False), ("enter", False)], after
    assert after[1]["prevented"], "Ctrl+P was left to the browser's own printing"
    print(f"\nkey presses from the query to sheet n° {number}: {len(query)} typed + {len(after)}")
    assert console_problems(driver) == []


def test_escape_goes_back_one_step_and_every_shortcut_is_shown(driver):
    open_page(driver)
    search = sign_in(driver)
    driver.execute_script(KEY_LOG)
    search.send_keys("zoe gerard")
    wait_for(driver, lambda d: first_row_is(d, "zoe.gerard"), message="no row for Zoé Gérard")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: visible(d, "reveal-code"), message="Zoé's card has no code to reveal")
    assert shortcut(driver, "reveal-code") == f"{CTRL}+M"
    assert by_testid(driver, "reveal-code").get_attribute("aria-keyshortcuts") == "Control+M"
    assert shortcut(driver, "back-to-results") == FR["keys.escape"]
    assert by_testid(driver, "print-sheet").text == FR["card.printSheet"], "the key cap must not change the label"

    # Ctrl+M shows the code, Échap hides it (the card stays).
    press(driver, (Keys.CONTROL, "m"))
    code = wait_for(driver, lambda d: visible(d, "activation-code"), message="Ctrl+M did not show the code").text
    assert shortcut(driver, "hide-code") == f"{CTRL}+M"
    shot(driver, "desk-07-code")
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not all_by_testid(d, "activation-code"), message="Échap did not hide the code")
    assert "Zoé" in card_name(driver) and code not in driver.page_source

    # The dialog: digits and arrows, each shortcut on its control; Échap closes it and only it.
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, dialog_open, message="Ctrl+P did not open the dialog")
    labels = [c.get_attribute("data-shortcut") for c in driver.find_elements("css selector", "dialog .choice:has(input[name=idCheck])")]
    assert labels == ["1", "2", "3", "4", "5", "6"], labels
    assert shortcut(driver, "sheet-submit") == FR["keys.enter"] and shortcut(driver, "sheet-cancel") == FR["keys.escape"]
    recipients = driver.find_elements("css selector", "dialog input[name=recipient]")
    assert len(recipients) == 3, "Zoé's sheet can go to her or to either parent"
    press(driver, Keys.ARROW_DOWN)
    assert recipients[1].is_selected(), "↓ did not choose the next recipient"
    press(driver, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert recipients[2].is_selected(), "↓ past the last recipient must stay on it"
    press(driver, Keys.ARROW_UP, Keys.ARROW_UP)
    assert recipients[0].is_selected()
    press(driver, "2")
    assert by_testid(driver, "sheet-idCheck-passport").is_selected()
    press(driver, "6")
    assert by_testid(driver, "sheet-idCheck-other").is_selected()
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not all_by_testid(d, "sheet-dialog"), message="Échap did not close the dialog")
    assert "Zoé" in card_name(driver), "Échap in the dialog closed the card too"

    # Card → results (query and rows kept, the box focused) → empty box.
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not all_by_testid(d, "account-card"), message="Échap did not close the card")
    assert search.get_attribute("value") == "zoe gerard" and all_by_testid(driver, "result-row")
    assert driver.switch_to.active_element == search
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: search.get_attribute("value") == "" and not all_by_testid(d, "result-row"),
             message="Échap on the results did not empty the search")

    # An activated account: Ctrl+R issues a renewal code, Ctrl+P then prints its slip, Échap ends it.
    search.send_keys("ines gerard")
    wait_for(driver, lambda d: first_row_is(d, "ines.gerard"), message="no row for Inès Gérard")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: visible(d, "renewal-issue") and shortcut(d, "renewal-issue") == f"{CTRL}+R",
             message="Inès's card shows no Ctrl+R on its renewal button")
    assert not all_by_testid(driver, "reveal-code"), "an activated account has no activation code"
    press(driver, (Keys.CONTROL, "m"))  # nothing to show: nothing happens
    press(driver, (Keys.CONTROL, "r"))
    renewal = re.sub(r"\s", "", wait_for(driver, lambda d: visible(d, "renewal-code"), message="Ctrl+R issued no code").text)
    wait_for(driver, lambda d: shortcut(d, "renewal-print") == f"{CTRL}+P" and shortcut(d, "renewal-done") == FR["keys.escape"],
             message="the renewal panel's buttons do not show their keys")
    assert by_testid(driver, "print-sheet").get_attribute("data-shortcut") is None, "Ctrl+P is the slip's while a code is shown"
    assert by_testid(driver, "back-to-results").get_attribute("data-shortcut") is None, "Échap is the code's while it is shown"
    shot(driver, "desk-08-renewal")
    main = driver.current_window_handle
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, lambda d: len(d.window_handles) == 2, message="Ctrl+P did not open the renewal slip")
    driver.switch_to.window(next(h for h in driver.window_handles if h != main))
    wait_for(driver, lambda d: d.current_url.startswith("blob:"), message="the slip's tab shows no PDF")
    driver.close()
    driver.switch_to.window(main)
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not all_by_testid(d, "renewal-code"), message="Échap did not end the renewal code")
    assert "Inès" in card_name(driver) and renewal not in driver.page_source

    # Every Ctrl+P this test pressed was kept from the browser.
    assert all(k["prevented"] for k in keys_seen(driver) if k["ctrl"] and k["key"].lower() == "p")
    assert console_problems(driver) == []


# ——— (4) the next person, and the idle lock ———


def test_after_a_printed_sheet_the_desk_is_ready_for_the_next_person(driver):
    open_page(driver)
    search = sign_in(driver)
    delay = int(config(driver)["nextPersonSeconds"])
    assert 0 < delay <= 10, f"start the server with --next-person-seconds 3 for this test (it is {delay})"
    print_zoe(driver, search)
    countdown = wait_for(driver, lambda d: visible(d, "next-person"), message="no countdown to the next person")
    assert "Entrée" in countdown.text and "Échap" in countdown.text
    started = time.monotonic()
    wait_for(driver, lambda d: not all_by_testid(d, "sheet-dialog"), timeout=delay + 5,
             message="the dialog stayed after the delay")
    assert time.monotonic() - started >= delay - 1.5, "cleared before the configured delay"
    wait_for(driver, lambda d: search.get_attribute("value") == "" and driver.switch_to.active_element == search,
             message="the search box is not emptied and focused")
    assert not all_by_testid(driver, "account-card") and not all_by_testid(driver, "result-row")
    assert "zoe.gerard" not in driver.page_source
    shot(driver, "desk-06-ready")

    # Échap during the countdown keeps the card: the agent has more to do for this person.
    print_zoe(driver, search)
    wait_for(driver, lambda d: visible(d, "next-person"), message="no countdown the second time")
    press(driver, Keys.ESCAPE)
    wait_for(driver, lambda d: not all_by_testid(d, "sheet-dialog"), message="Échap did not close the dialog")
    time.sleep(delay + 1)
    assert "Zoé" in card_name(driver), "Échap during the countdown did not keep the card"

    # Entrée during the countdown: the next person at once.
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, dialog_open, message="Ctrl+P did not open the dialog again")
    press(driver, "5", Keys.ENTER)
    wait_for(driver, lambda d: visible(d, "next-person"), timeout=20, message="no countdown the third time")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: not all_by_testid(d, "account-card") and search.get_attribute("value") == "",
             timeout=2, message="Entrée during the countdown did not clear the desk at once")
    assert console_problems(driver) == []


def test_nothing_of_the_previous_person_is_left_after_the_idle_lock(driver):
    open_page(driver)
    search = sign_in(driver)
    print_zoe(driver, search)
    press(driver, Keys.ESCAPE)  # stays on Zoé's card…
    wait_for(driver, lambda d: not all_by_testid(d, "sheet-dialog"), message="Échap did not close the dialog")
    press(driver, (Keys.CONTROL, "m"))  # …with her code on screen, and walks away
    code = re.sub(r"\s", "", wait_for(driver, lambda d: visible(d, "activation-code"), message="no code").text)
    # Her sheet's PDF, opened in a tab of its own, is the page's to close too.
    by_testid(driver, "print-sheet").click()
    wait_for(driver, dialog_open, message="no dialog")
    press(driver, "5", Keys.ENTER)
    wait_for(driver, lambda d: visible(d, "sheet-open"), timeout=20, message="no link to the PDF").click()
    wait_for(driver, lambda d: len(d.window_handles) == 2, message="Ouvrir le PDF opened no tab")
    press(driver, Keys.ESCAPE)
    idle = int(config(driver)["idleLockSeconds"])
    wait_for(driver, lambda d: visible(d, "lock-screen"), timeout=idle + 10, message="the idle lock did not happen")
    shot(driver, "desk-09-locked")
    assert len(driver.window_handles) == 1, "a tab with her PDF is still open after the idle lock"
    page = plain(driver.page_source)
    for trace in ("Zoé", "GÉRARD", "Gérard", "zoe.gerard", "zoe gerard", code, "Sophie", "2NDE 3", "Fiche n°"):
        assert trace not in page, f"{trace!r} is still in the page after the idle lock"
    assert not all_by_testid(driver, "sheet-dialog") and not all_by_testid(driver, "sheet-frame")
    # The Performance API's search timings carry no query, and the page's title no name.
    details = driver.execute_script(
        "return performance.getEntriesByName('guichet:search').map((e) => JSON.stringify(e.detail))")
    assert all("zoe" not in d.lower() for d in details)
    assert "Zoé" not in driver.title
    assert console_problems(driver) == []


# ——— (2) 1366×768, touch, 125 % zoom ———

# What the agent must see without scrolling on each card: the name and state, the code's action, the family, the contact.
LAYOUT_CASES = {
    "zoe gerard": ("zoe.gerard", ["card-name", "reveal-code", "relative-link", FACT_EMAIL, FACT_PHONE, "print-sheet"]),
    "sophie gerard": ("sophie.gerard", ["card-name", "reveal-code", "relative-link", FACT_EMAIL, FACT_PHONE, "print-sheet"]),
    "ines gerard": ("ines.gerard", ["card-name", "renewal-issue", "relative-link", FACT_EMAIL, FACT_PHONE, "print-sheet"]),
    "helene lefevre": ("helene.lefevre-coeur", ["card-name", "renewal-issue", FACT_EMAIL, FACT_PHONE, "print-sheet"]),
}

FULLY_SHOWN = """
const [selectors] = arguments;
const body = document.querySelector('.card-body');
const out = {scrolls: body.scrollHeight > body.clientHeight + 1, pageScrolls: document.documentElement.scrollHeight > innerHeight,
             hidden: []};
const view = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
const clip = body.getBoundingClientRect();
for (const selector of selectors) {
  const nodes = selector.startsWith('fact:')
    ? [...document.querySelectorAll('.fact')].filter((f) => f.querySelector('dt')?.textContent === selector.slice(5)).map((f) => f.querySelector('dd'))
    : [...document.querySelectorAll(selector)];
  if (nodes.length === 0) { out.hidden.push(selector + ' (missing)'); continue; }
  for (const node of nodes) {
    const r = node.getBoundingClientRect();
    const inside = (box) => r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.left >= box.left - 1 && r.right <= box.right + 1;
    if (!inside(view) || (body.contains(node) && !inside(clip))) out.hidden.push(selector);
  }
}
return out;
"""

SMALL_TARGETS = """
const small = [];
for (const node of document.querySelectorAll('button, a[href], input:not([type=radio]):not([type=checkbox]), label.choice, [role=option], select')) {
  const r = node.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;  // not shown
  if (node.closest('[hidden]')) continue;
  if (r.height < arguments[0] || r.width < arguments[0]) small.push(`${node.dataset.testid || node.className || node.tagName}: ${Math.round(r.width)}×${Math.round(r.height)}`);
}
return small;
"""

OVERFLOWS = """
const out = [];
if (document.documentElement.scrollWidth > innerWidth) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
for (const node of document.querySelectorAll('.btn, .badge, .result-name, .card-name, .fact dd, .login-value, .relative, .choice, .box-title')) {
  const r = node.getBoundingClientRect();
  if (r.width === 0) continue;
  if (node.scrollWidth > node.clientWidth + 1) out.push(`${node.dataset.testid || node.className}: text wider than its box`);
  if (r.right > innerWidth + 1) out.push(`${node.dataset.testid || node.className}: past the right edge`);
}
return out;
"""


def selectors(testids):
    return [t if t.startswith("fact:") else f'[data-testid="{t}"]' for t in testids]


def open_card(driver, search, query, login):
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(query)
    wait_for(driver, lambda d: first_row_is(d, login), message=f"{login} is not the first row for {query!r}")
    press(driver, Keys.ENTER)
    wait_for(driver, lambda d: any(n.text == login for n in d.find_elements("css selector", ".login-value")),
             message=f"the card of {login} did not open")


def test_the_card_shows_what_matters_without_scrolling_at_1366x768_with_44px_targets(driver):
    open_page(driver)
    assert driver.execute_script("return [innerWidth, innerHeight]") == [1366, 768]
    search = sign_in(driver)
    for query, (login, testids) in LAYOUT_CASES.items():
        open_card(driver, search, query, login)
        shown = driver.execute_script(FULLY_SHOWN, selectors(testids) + [".card-summary .badge", ".login-value"])
        assert not shown["scrolls"] and not shown["pageScrolls"] and not shown["hidden"], (login, shown)
        assert driver.execute_script(SMALL_TARGETS, MIN_TARGET) == [], login
        assert driver.execute_script(OVERFLOWS) == [], login
        shot(driver, f"desk-layout-{login}")
    # The code revealed, and the dialog, keep to the same rules.
    open_card(driver, search, "zoe gerard", "zoe.gerard")
    press(driver, (Keys.CONTROL, "m"))
    wait_for(driver, lambda d: visible(d, "activation-code"), message="no code")
    shown = driver.execute_script(FULLY_SHOWN, selectors(["activation-code", "hide-code", "relative-link", FACT_EMAIL, "print-sheet"]))
    assert not shown["scrolls"] and not shown["hidden"], shown
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, dialog_open, message="no dialog")
    assert driver.execute_script(SMALL_TARGETS, MIN_TARGET) == []
    assert driver.execute_script(FULLY_SHOWN, selectors(["sheet-submit", "sheet-cancel", "sheet-idCheck-other"]))["hidden"] == []
    assert console_problems(driver) == []


def test_the_desk_reads_at_125_percent_zoom(driver):
    # Chromium's 125 % zoom on the 1366×768 screen: 1093×614 CSS pixels drawn at 1.25 device pixels each.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1093, "height": 614, "deviceScaleFactor": 1.25, "mobile": False})
    open_page(driver)
    search = sign_in(driver)
    for query, (login, testids) in LAYOUT_CASES.items():
        open_card(driver, search, query, login)
        assert driver.execute_script(OVERFLOWS) == [], login
        # The actions stay on screen; the card's body may scroll, inside the card only.
        shown = driver.execute_script(FULLY_SHOWN, selectors(["card-name", "print-sheet", "back-to-results"]))
        assert not shown["pageScrolls"] and not shown["hidden"], (login, shown)
    shot(driver, "desk-zoom-125")
    press(driver, (Keys.CONTROL, "p"))
    wait_for(driver, dialog_open, message="no dialog")
    assert driver.execute_script(OVERFLOWS) == []
    assert driver.execute_script(FULLY_SHOWN, selectors(["sheet-submit", "sheet-cancel"]))["hidden"] == []
    shot(driver, "desk-zoom-125-dialog")
    assert console_problems(driver) == []
