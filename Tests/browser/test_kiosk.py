"""Browser test of the kiosk page (Kiosk/web) against a running Guichet server.

Drives Debian's headless Chromium through chromedriver, at the front-desk screen size (1366×768), as an agent
would: sign in, search as you type, open a card with the keyboard, follow the parent link, reveal the
activation code, then leave the desk alone until the idle lock wipes it; and issue a renewal code, shown once. Every test also fails on a
Content-Security-Policy violation or a JavaScript error in the browser console.

Environment (set by the lead's test script, which starts the server on demo data):
  GUICHET_URL        base URL of the server, e.g. http://127.0.0.1:8080/
  GUICHET_AGENT      login of a demo agent
  GUICHET_PASSWORD   that agent's password
  (the server should run with GUICHET_IDLE_LOCK_SECONDS=5 or so; the test reads the delay from /api/v1/config)
Optional: CHROMIUM (default /usr/bin/chromium), CHROMEDRIVER (default /usr/bin/chromedriver),
GUICHET_SHOTS (default /tmp/guichet-shots) for the screenshots.
Without GUICHET_URL the tests are skipped.
"""

import json
import os
import pathlib
import re
import secrets
import unicodedata

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ.get("GUICHET_URL", "")
AGENT = os.environ.get("GUICHET_AGENT", "")
PASSWORD = os.environ.get("GUICHET_PASSWORD", "")
SHOTS = pathlib.Path(os.environ.get("GUICHET_SHOTS", "/tmp/guichet-shots"))
I18N = pathlib.Path(__file__).resolve().parents[2] / "Kiosk" / "web" / "i18n"
CODE_ALPHABET = "abcdefghjkmnprstvwxyz3456789"
WAIT = 10  # seconds for anything the page does after an input

pytestmark = pytest.mark.skipif(not URL, reason="GUICHET_URL is not set: start a Guichet server first")

FR = json.loads((I18N / "fr.json").read_text(encoding="utf-8"))
EN = json.loads((I18N / "en.json").read_text(encoding="utf-8"))


# ——— Plumbing ———


@pytest.fixture
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1366,768", "--lang=fr-FR", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    # "performance": the DevTools network events, to read what the sheet request really answered.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    browser = webdriver.Chrome(service=service, options=options)
    # The window size above includes no browser chrome in headless mode; pin the viewport to be sure.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    browser.console = []  # every console entry read so far, see console_problems()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.quit()


def shot(driver, name):
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def by_testid(driver, testid):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def all_by_testid(driver, testid):
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def wait_for(driver, condition, timeout=WAIT, message=""):
    # The page re-renders rows and cards as answers arrive: a node read mid-render is simply read again.
    waiter = WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,))
    return waiter.until(lambda d: condition(d), message)


def visible(driver, testid):
    nodes = all_by_testid(driver, testid)
    return nodes[0] if nodes and nodes[0].is_displayed() else None


def plain(text):
    """NFC, and typographic apostrophes folded, so "N’Diaye" and "N'Diaye" (or a decomposed "ï") compare equal."""
    return unicodedata.normalize("NFC", text).replace("\u2019", "'")


def console_problems(driver):
    """CSP violations and JS errors seen in the console so far.

    Expected noise is let through: the 401 of GET /api/v1/session when the page starts signed out, and the
    401 of a sign-in with a wrong password (Chrome logs every non-2xx fetch as "Failed to load resource").
    """
    driver.console.extend(driver.get_log("browser"))
    problems = []
    for entry in driver.console:
        message = entry.get("message", "")
        if "Content Security Policy" in message or "Refused to" in message:
            problems.append(message)
        elif entry.get("level") == "SEVERE":
            expected = ("/api/v1/session" in message and "status of 401" in message)
            if not expected:
                problems.append(message)
    return problems


def fetch_json(driver, path):
    """GET a same-origin API path from inside the page: [status, body]."""
    return driver.execute_async_script(
        """
        const [path, done] = arguments;
        fetch(path, {credentials: 'same-origin', cache: 'no-store'})
          .then(async (r) => done([r.status, await r.json().catch(() => null)]))
          .catch((e) => done([0, String(e)]));
        """,
        path,
    )


def sheet_response(driver):
    """The last answer to POST /api/v1/accounts/…/sheet, from the DevTools log: status, mimeType and headers."""
    found = None
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.responseReceived":
            continue
        response = message["params"]["response"]
        if re.search(r"/api/v1/accounts/[^/]+/sheet$", response.get("url", "")):
            found = (message["params"]["requestId"], response)
    assert found, "no answer to the sheet request in the DevTools log"
    request_id, response = found
    headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
    return {"status": response.get("status"), "mimeType": response.get("mimeType"), "headers": headers}


def open_page(driver):
    driver.get(URL)
    wait_for(driver, lambda d: visible(d, "login-input"), message="the sign-in form did not show")


def sign_in(driver, login=None, password=None):
    by_testid(driver, "login-input").clear()
    by_testid(driver, "login-input").send_keys(login or AGENT)
    by_testid(driver, "password-input").send_keys((password or PASSWORD) + Keys.ENTER)
    search = wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not show after sign-in")
    wait_for(driver, lambda d: d.switch_to.active_element == search, message="the search box is not focused")
    return search


def card_name(driver):
    nodes = all_by_testid(driver, "card-name")
    return plain(nodes[0].text) if nodes else ""


# ——— Tests ———


def test_desk_flow_from_search_to_idle_lock(driver):
    open_page(driver)
    assert by_testid(driver, "signin-button").text == FR["gate.submit"], "French is the default language"
    shot(driver, "01-sign-in")

    search = sign_in(driver)
    search.send_keys("nathanael")

    def nathanael_row(d):
        for index, row in enumerate(all_by_testid(d, "result-row")):
            text = plain(row.text)
            if "Nathanaël" in text and "N'DIAYE" in text:
                return index, row
        return None

    def answered(d):
        if nathanael_row(d):
            return "found"
        status = d.find_element(By.ID, "search-status").text
        return "other" if all_by_testid(d, "result-row") and status not in ("", FR["search.loading"]) else None

    if wait_for(driver, answered, message="no answer to the search 'nathanael'") == "other":
        # More Nathanaëls than one page of results: narrow down, as an agent would.
        search.send_keys(" diaye")
    index, row = wait_for(driver, nathanael_row, message="no result row for Nathanaël N'DIAYE")
    assert row.get_attribute("data-login"), "each row carries its login"
    shot(driver, "02-results")

    # Keyboard only: the first row is selected on arrival; Down moves the selection, Enter opens the card.
    for _ in range(index):
        search.send_keys(Keys.ARROW_DOWN)
    def nathanael_selected(d):
        found = nathanael_row(d)
        return found is not None and found[1].get_attribute("aria-selected") == "true"

    wait_for(driver, nathanael_selected, message="Down did not select Nathanaël's row")
    search.send_keys(Keys.ENTER)
    wait_for(driver, lambda d: "Nathanaël" in card_name(d) and "N'DIAYE" in card_name(d),
             message="Enter did not open Nathanaël's card")
    assert by_testid(driver, "account-card").is_displayed()
    shot(driver, "03-card-student")

    parent = next((link for link in all_by_testid(driver, "relative-link") if "Aïssatou" in plain(link.text)), None)
    assert parent is not None, "Nathanaël's card has no link to his parent Aïssatou N'Diaye"
    parent.click()
    wait_for(driver, lambda d: "Aïssatou" in card_name(d) and "N'DIAYE" in card_name(d),
             message="the parent link did not open Aïssatou's card")
    shot(driver, "04-card-parent")

    if not all_by_testid(driver, "reveal-code"):
        # Should the demo parent have no code, her child's card (linked back from hers) will.
        child = next(link for link in all_by_testid(driver, "relative-link") if "Nathanaël" in plain(link.text))
        child.click()
        wait_for(driver, lambda d: "Nathanaël" in card_name(d), message="the child link did not open")
    reveal = all_by_testid(driver, "reveal-code")
    assert reveal, "neither Aïssatou nor Nathanaël N'Diaye has an activation code to reveal in the demo data"
    reveal[0].click()
    code_node = wait_for(driver, lambda d: visible(d, "activation-code"), message="the code did not show")
    code = re.sub(r"\s", "", code_node.text)
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", code), f"unexpected activation code {code!r}"
    shot(driver, "05-code-revealed")

    # "Masquer" takes the code out of the DOM, not merely out of sight.
    by_testid(driver, "hide-code").click()
    wait_for(driver, lambda d: not all_by_testid(d, "activation-code"), message="Masquer left the code in the DOM")
    assert code not in driver.page_source
    by_testid(driver, "reveal-code").click()
    wait_for(driver, lambda d: visible(d, "activation-code"), message="the code did not show again")

    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366, "the page scrolls sideways"

    # Hands off: the idle lock must wipe everything and end the session.
    status, config = fetch_json(driver, "/api/v1/config")
    assert status == 200, config
    idle = int(config["idleLockSeconds"])
    assert idle <= 60, f"start the server with GUICHET_IDLE_LOCK_SECONDS=5 for this test (it is {idle})"
    wait_for(driver, lambda d: visible(d, "lock-screen"), timeout=idle + 10, message="the idle lock did not happen")
    shot(driver, "06-lock-screen")
    for gone in ("account-card", "card-name", "activation-code", "result-row", "relative-link"):
        assert not all_by_testid(driver, gone), f"{gone} is still in the DOM after the idle lock"
    assert code not in driver.page_source, "the activation code is still somewhere in the page"
    assert by_testid(driver, "search-input").get_attribute("value") == ""
    assert not by_testid(driver, "search-input").is_displayed()
    assert by_testid(driver, "password-input").is_displayed(), "the lock screen asks to sign in again"
    wait_for(driver, lambda d: fetch_json(d, "/api/v1/session")[0] == 401,
             message="the session is still open on the server after the idle lock")

    assert console_problems(driver) == []


def test_english_toggle_switches_labels_and_is_remembered(driver):
    open_page(driver)
    toggle = by_testid(driver, "lang-toggle")
    assert toggle.text == FR["lang.toggle"]
    toggle.click()
    wait_for(driver, lambda d: by_testid(d, "signin-button").text == EN["gate.submit"],
             message="the sign-in button did not switch to English")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert by_testid(driver, "lang-toggle").text == EN["lang.toggle"]

    search = sign_in(driver)
    assert search.get_attribute("placeholder") == EN["search.placeholder"]
    assert by_testid(driver, "signout-button").text == EN["header.signout"]
    search.send_keys("nathanael")
    wait_for(driver, lambda d: any(EN["profile.Student"] in r.text for r in all_by_testid(d, "result-row")),
             message="result rows are not in English")
    shot(driver, "07-english")

    # The choice survives a reload (localStorage), and the session too (cookie).
    driver.refresh()
    wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not come back after a reload")
    assert by_testid(driver, "signout-button").text == EN["header.signout"]

    by_testid(driver, "lang-toggle").click()
    wait_for(driver, lambda d: by_testid(d, "signout-button").text == FR["header.signout"],
             message="the toggle did not switch back to French")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"

    # Signing out wipes the desk and shows the sign-in form again.
    by_testid(driver, "signout-button").click()
    wait_for(driver, lambda d: visible(d, "login-input"), message="sign-out did not show the sign-in form")
    assert not all_by_testid(driver, "result-row")
    assert console_problems(driver) == []


def test_wrong_password_shows_a_plain_french_error(driver):
    open_page(driver)
    # An unknown login, so that the demo agent's own attempts are not counted by the rate limit.
    by_testid(driver, "login-input").send_keys(f"nobody-{secrets.token_hex(4)}")
    by_testid(driver, "password-input").send_keys("not the password" + Keys.ENTER)
    error = driver.find_element(By.ID, "signin-error")
    wait_for(driver, lambda d: error.is_displayed(), message="no error message after a wrong password")
    assert error.text in (FR["error.bad-credentials"], FR["error.too-many-attempts"])
    assert by_testid(driver, "password-input").get_attribute("value") == ""
    assert not all_by_testid(driver, "search-input") or not by_testid(driver, "search-input").is_displayed()
    shot(driver, "08-bad-password")
    assert console_problems(driver) == []


def test_print_a_sheet_from_the_card(driver):
    """Parent at the desk for her son: her card, the link to his, "Imprimer la fiche", two answers, a PDF."""
    open_page(driver)
    search = sign_in(driver)
    search.send_keys("aissatou diaye")

    def aissatou_row(d):
        return next((r for r in all_by_testid(d, "result-row") if "Aïssatou" in plain(r.text)), None)

    wait_for(driver, aissatou_row, message="no result row for Aïssatou N'Diaye").click()
    wait_for(driver, lambda d: "Aïssatou" in card_name(d), message="Aïssatou's card did not open")
    parent_login = "aissatou.ndiaye"
    child = next(link for link in all_by_testid(driver, "relative-link") if "Nathanaël" in plain(link.text))
    child.click()
    wait_for(driver, lambda d: "Nathanaël" in card_name(d), message="the child link did not open Nathanaël's card")

    by_testid(driver, "print-sheet").click()
    dialog = wait_for(driver, lambda d: visible(d, "sheet-dialog"), message="the sheet dialog did not open")
    assert FR["sheet.idCheck"] in dialog.text and FR["sheet.recipient"] in dialog.text
    # Coming from the parent's card, she is the one preselected; the student himself is offered too.
    parent_choice = by_testid(driver, f"sheet-recipient-{parent_login}")
    assert parent_choice.is_selected(), "the parent whose card led here is not preselected"
    assert not by_testid(driver, "sheet-recipient-self").is_selected()
    shot(driver, "09-sheet-dialog")

    # No document chosen yet: the dialog says so and prints nothing.
    by_testid(driver, "sheet-submit").click()
    wait_for(driver, lambda d: FR["sheet.idMissing"] in by_testid(d, "sheet-status").text,
             message="printing without an identity document was not refused")

    by_testid(driver, "sheet-idCheck-passport").click()
    by_testid(driver, "sheet-submit").click()
    frame = wait_for(driver, lambda d: visible(d, "sheet-frame"), timeout=WAIT + 10, message="no PDF came back")
    status = by_testid(driver, "sheet-status").text
    number = re.search(r"n° (\d+)", status)
    assert number, f"the dialog does not show the sheet's number: {status!r}"
    src = frame.get_attribute("src")
    assert src.startswith("blob:"), src
    # The page may not fetch its own blob: (the CSP's connect-src is 'self' only): the test reads the answer to the
    # POST from DevTools (a PDF, numbered as the dialog says), and what the frame shows from the frame's document.
    response = sheet_response(driver)
    assert response["status"] == 200 and response["mimeType"] == "application/pdf", response
    assert response["headers"].get("x-guichet-sheet") == number.group(1), response["headers"]
    assert response["headers"].get("cache-control") == "no-store", response["headers"]
    shown = driver.execute_script("return arguments[0].contentDocument && arguments[0].contentDocument.contentType", frame)
    assert shown == "application/pdf", f"the frame does not show a PDF: {shown!r}"
    shot(driver, "10-sheet-ready")

    # Closing the dialog takes the PDF away (object URL revoked, frame removed); Escape stays in the dialog.
    by_testid(driver, "sheet-cancel").click()
    wait_for(driver, lambda d: not all_by_testid(d, "sheet-dialog"), message="the dialog did not close")
    assert "Nathanaël" in card_name(driver), "closing the dialog closed the card too"
    assert not all_by_testid(driver, "sheet-frame")


def open_card_by_login(driver, search, login):
    """Types a login in the search box and opens that account's card by clicking its row."""
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACK_SPACE)
    search.send_keys(login)

    def row(d):
        return next((r for r in all_by_testid(d, "result-row") if r.get_attribute("data-login") == login), None)

    wait_for(driver, row, message=f"no result row for {login}").click()
    wait_for(driver, lambda d: any(n.text == login for n in d.find_elements(By.CSS_SELECTOR, ".login-value")),
             message=f"the card of {login} did not open")


def test_renewal_code_is_shown_once_and_gone_after_leaving_the_card(driver):
    open_page(driver)
    search = sign_in(driver)
    status, found = fetch_json(driver, "/api/v1/accounts?activated=yes&limit=1")
    assert status == 200 and found["results"], "the demo data has no activated account"
    login = found["results"][0]["login"]
    status, found = fetch_json(driver, "/api/v1/accounts?activated=no&limit=1")
    assert status == 200 and found["results"], "the demo data has no account left to activate"
    not_activated = found["results"][0]["login"]

    # No renewal code for an account that still has its activation code: it gets its activation sheet.
    open_card_by_login(driver, search, not_activated)
    assert not all_by_testid(driver, "renewal-issue")

    open_card_by_login(driver, search, login)
    issue = wait_for(driver, lambda d: visible(d, "renewal-issue"), message="no renewal action on an activated card")
    assert issue.text == FR["renewal.issue"]
    issue.click()
    code_node = wait_for(driver, lambda d: visible(d, "renewal-code"), message="the renewal code did not show")
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{4}} [{CODE_ALPHABET}]{{4}}", code_node.text), \
        f"the code is not grouped for reading aloud: {code_node.text!r}"
    code = code_node.text.replace(" ", "")
    assert FR["renewal.expiry"].split("{")[0] in by_testid(driver, "renewal-expiry").text
    assert FR["renewal.once"] in by_testid(driver, "renewal-panel").text
    assert by_testid(driver, "renewal-print").text == FR["renewal.print"]
    assert not all_by_testid(driver, "renewal-issue"), "while a code is shown, a second click must not replace it"
    shot(driver, "09-renewal-code")

    # "Imprimer ce code": the slip opens in a new tab, as a PDF.
    main_window = driver.current_window_handle
    by_testid(driver, "renewal-print").click()
    wait_for(driver, lambda d: len(d.window_handles) == 2, message="the slip did not open")
    driver.switch_to.window(next(h for h in driver.window_handles if h != main_window))
    wait_for(driver, lambda d: d.current_url.startswith("blob:"), message="the slip's tab shows no PDF")
    driver.close()
    driver.switch_to.window(main_window)
    assert not all_by_testid(driver, "renewal-error")

    # The server has no copy to give: the card's API never carries it.
    status, card = fetch_json(driver, f"/api/v1/accounts/{login}?reveal=code")
    assert status == 200 and code not in json.dumps(card)

    # Leaving the card takes it out of the DOM; coming back does not bring it back.
    by_testid(driver, "back-to-results").click()
    wait_for(driver, lambda d: not all_by_testid(d, "renewal-code"), message="the code stayed after leaving the card")
    assert code not in driver.page_source
    open_card_by_login(driver, search, login)
    wait_for(driver, lambda d: visible(d, "renewal-issue"), message="the renewal action is missing on the way back")
    assert not all_by_testid(driver, "renewal-code") and code not in driver.page_source, "the code came back"

    # A second code, then a reload: gone for good as well.
    by_testid(driver, "renewal-issue").click()
    second = re.sub(r"\s", "", wait_for(driver, lambda d: visible(d, "renewal-code"), message="no second code").text)
    assert second != code
    driver.refresh()
    wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not come back after a reload")
    assert not all_by_testid(driver, "renewal-code") and second not in driver.page_source

    # A third one, left alone on screen: the idle lock wipes it with the rest of the desk.
    search = by_testid(driver, "search-input")
    open_card_by_login(driver, search, login)
    wait_for(driver, lambda d: visible(d, "renewal-issue"), message="no renewal action after the reload").click()
    third = re.sub(r"\s", "", wait_for(driver, lambda d: visible(d, "renewal-code"), message="no third code").text)
    idle = int(fetch_json(driver, "/api/v1/config")[1]["idleLockSeconds"])
    wait_for(driver, lambda d: visible(d, "lock-screen"), timeout=idle + 10, message="the idle lock did not happen")
    assert not all_by_testid(driver, "renewal-panel") and third not in driver.page_source
    assert console_problems(driver) == []
