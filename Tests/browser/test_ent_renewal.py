"""Browser test of the kiosk's renewal flow when Guichet talks to the ENT (issue 16).

Self-contained: starts the fake entcore (Tests/ent/fake_ent.py) on loopback, imports its accounts with
`guichet ent fetch`, starts `guichet serve` with the `[ent]` connection on port 0, then drives Chromium as an agent:
the renewal code shown on the card is the one the ENT generated, labelled as the ENT's, printable once; the ENT's
refusal (a federated account) shows as the plain French message of `ent-refused`; the card's renewal offer follows
the ENT's state of now (an account activated since the export), and says so when the ENT does not answer.

Environment: GUICHET_BINARY (default .build/debug/guichet); the driver and helpers are test_kiosk.py's.
"""

import json
import os
import pathlib
import re
import subprocess
import tempfile
import urllib.request

import pytest

from test_kiosk import (CODE_ALPHABET, FR, all_by_testid, by_testid, console_problems, driver, open_card_by_login,  # noqa: F401
                        shot, visible, wait_for)

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("GUICHET_BINARY", ROOT / ".build" / "debug" / "guichet"))
AGENT, PASSWORD = "agent", "ent-browser-test-password"

pytestmark = pytest.mark.skipif(not BINARY.exists(), reason=f"{BINARY} is not built")


def first_line(process, prefix, what):
    for line in process.stdout:
        if prefix in line:
            return line
    raise AssertionError(f"{what} did not start")


@pytest.fixture
def desk():
    """The fake ENT and a Guichet connected to it: yields (guichet URL, fake ENT URL)."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="guichet-ent-browser-"))
    ent = subprocess.Popen(["python3", str(ROOT / "Tests" / "ent" / "fake_ent.py")], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    server = None
    try:
        ent_url = "http://127.0.0.1:%s" % first_line(ent, "PORT ", "the fake ENT").split()[1]
        password = work / "ent-password"
        password.write_text("adml-password\n")
        password.chmod(0o600)
        config = work / "guichet.toml"
        config.write_text(f'[ent]\nurl = "{ent_url}"\nadmin_login = "guichet.adml"\n'
                          f'admin_password_file = "{password}"\nstructure_ids = ["s-lycee"]\n')
        db = work / "g.sqlite3"
        subprocess.run([BINARY, "ent", "fetch", "--config", config, "--db", db], check=True, capture_output=True)
        subprocess.run([BINARY, "staff", "add", AGENT, "--role", "agent", "--db", db], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
        server = subprocess.Popen([BINARY, "serve", "--config", config, "--db", db, "--port", "0", "--kiosk",
                                   ROOT / "Kiosk" / "web"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = re.search(r"http://\S+/", first_line(server, "listening on", "guichet serve")).group(0)
        yield url.rstrip("/"), ent_url
    finally:
        if server:
            server.terminate()
            server.wait(10)
        ent.stdin.close()
        ent.terminate()
        ent.wait(10)


def fake_set(ent_url, changes):
    request = urllib.request.Request(ent_url + "/__fake/set", data=json.dumps(changes).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()


def sign_in(driver, url):
    from selenium.webdriver.common.keys import Keys
    driver.get(url)
    wait_for(driver, lambda d: visible(d, "login-input"), message="the sign-in form did not show")
    by_testid(driver, "login-input").send_keys(AGENT)
    by_testid(driver, "password-input").send_keys(PASSWORD + Keys.ENTER)
    return wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not show after sign-in")


def ent_codes(ent_url):
    with urllib.request.urlopen(ent_url + "/__fake/codes") as answer:
        return json.load(answer)


def test_the_renewal_code_is_the_ents_and_its_refusal_is_plain_french(driver, desk):
    url, ent_url = desk
    driver.get(url)
    wait_for(driver, lambda d: visible(d, "login-input"), message="the sign-in form did not show")
    by_testid(driver, "login-input").send_keys(AGENT)
    from selenium.webdriver.common.keys import Keys
    by_testid(driver, "password-input").send_keys(PASSWORD + Keys.ENTER)
    search = wait_for(driver, lambda d: visible(d, "search-input"), message="the desk did not show after sign-in")

    open_card_by_login(driver, search, "marc.gerard")
    wait_for(driver, lambda d: visible(d, "renewal-issue"), message="no renewal action on Marc's card").click()
    code_node = wait_for(driver, lambda d: visible(d, "renewal-code"), message="the ENT's code did not show")
    code = code_node.text.replace(" ", "")
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", code)
    assert ent_codes(ent_url).get("marc.gerard") == code, "the code shown is not the one the ENT generated"
    source = by_testid(driver, "renewal-source")
    assert source.get_attribute("data-source") == "ent" and source.text == FR["renewal.source-ent"]
    shot(driver, "ent-01-renewal-code")

    # The slip, once: it opens in a new tab as a PDF.
    main = driver.current_window_handle
    by_testid(driver, "renewal-print").click()
    wait_for(driver, lambda d: len(d.window_handles) == 2, message="the slip did not open")
    driver.switch_to.window(next(h for h in driver.window_handles if h != main))
    wait_for(driver, lambda d: d.current_url.startswith("blob:"), message="the slip's tab shows no PDF")
    driver.close()
    driver.switch_to.window(main)
    assert not all_by_testid(driver, "renewal-error")
    by_testid(driver, "renewal-done").click()
    wait_for(driver, lambda d: not all_by_testid(d, "renewal-code"), message="Terminé left the code on screen")
    assert code not in driver.page_source

    # A federated parent: the ENT refuses (500), the desk reads why, in French; nothing else is offered.
    open_card_by_login(driver, search, "paul.gerard")
    wait_for(driver, lambda d: visible(d, "renewal-issue"), message="no renewal action on Paul's card").click()
    error = wait_for(driver, lambda d: visible(d, "renewal-error"), message="the ENT's refusal did not show")
    assert error.text == FR["error.ent-refused"]
    assert not all_by_testid(driver, "renewal-code")
    assert "paul.gerard" not in ent_codes(ent_url)
    shot(driver, "ent-02-refused")
    assert console_problems(driver) == [] or all("renewal-code" in p and "409" in p for p in console_problems(driver))


def test_the_card_follows_the_ents_state_of_now_and_says_when_the_ent_is_down(driver, desk):
    url, ent_url = desk
    search = sign_in(driver, url)
    # Zoé still had her activation code in last night's export; she activated her account this morning.
    fake_set(ent_url, {"users": {"zoe.gerard": {"code": None}}})
    open_card_by_login(driver, search, "zoe.gerard")
    notice = wait_for(driver, lambda d: visible(d, "card-ent"), message="the card says nothing of the ENT")
    assert notice.get_attribute("data-state") == "checked" and notice.text.startswith("État vérifié auprès de l'ENT à ")
    assert by_testid(driver, "card-ent-state").text == FR["card.entActivated"]
    assert not all_by_testid(driver, "reveal-code"), "the export's dead activation code is still offered"
    by_testid(driver, "renewal-issue").click()
    code = wait_for(driver, lambda d: visible(d, "renewal-code"), message="no renewal code for Zoé").text.replace(" ", "")
    assert ent_codes(ent_url).get("zoe.gerard") == code
    shot(driver, "ent-03-activated-since-the-export")
    by_testid(driver, "renewal-done").click()

    # The ENT stops answering within the card's 2 s: the card says it follows the export, and offers what it offers.
    fake_set(ent_url, {"delay": 3})
    open_card_by_login(driver, search, "zoe.gerard")  # the same card again: wait for the new answer's notice
    notice = wait_for(driver, lambda d: next((n for n in all_by_testid(d, "card-ent")
                                              if n.get_attribute("data-state") != "checked"), None),
                      message="the card did not say the ENT is unreachable")
    assert notice.get_attribute("data-state") == "ent-unreachable"
    assert notice.text.startswith("État non vérifié auprès de l'ENT : celui affiché est celui de l'export du ")
    assert notice.text.endswith(FR["card.entSilent"])
    assert visible(driver, "reveal-code") and not all_by_testid(driver, "renewal-issue")
    shot(driver, "ent-04-ent-down")
    assert console_problems(driver) == []
