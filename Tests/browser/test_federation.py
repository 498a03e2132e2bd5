"""Browser test of federated accounts on the kiosk card (Kiosk/web/js/card.js) against a running Guichet server.

The test script configures `[ent] federated = { guest = "FranceConnect" }`: a guest's card says what it signs in
with instead of a login, offers no code to reveal and no renewal code, and still prints its sheet, which explains
the federated sign-in; the renewal route refuses it (409 account-federated). The plumbing is test_kiosk.py's.
Skipped when the server federates no guest (no such account in the demo data, or another configuration).
"""

import pytest
from selenium.webdriver.common.keys import Keys

from test_kiosk import (FR, URL, all_by_testid, by_testid, console_problems, driver, fetch_json, open_page, shot,  # noqa: F401
                        sign_in, visible, wait_for)

pytestmark = pytest.mark.skipif(not URL, reason="GUICHET_URL is not set")


def test_a_federated_card_shows_what_it_signs_in_with_and_no_code(driver):
    open_page(driver)
    search = sign_in(driver)
    status, found = fetch_json(driver, "/api/v1/accounts?profile=guest&limit=1")
    if status != 200 or not found["results"]:
        pytest.skip("the demo data has no guest")
    login = found["results"][0]["login"]
    status, card = fetch_json(driver, f"/api/v1/accounts/{login}")
    if not card["account"].get("federatedWith"):
        pytest.skip("the server does not federate guests")
    assert card["account"]["federatedWith"] == ["FranceConnect"]

    search.send_keys(login)
    row = wait_for(driver, lambda d: next((r for r in all_by_testid(d, "result-row") if r.get_attribute("data-login") == login), None),
                   message=f"no result row for {login}")
    assert FR["badge.federated"] in row.text and FR["badge.notActivated"] not in row.text, row.text
    row.click()
    box = wait_for(driver, lambda d: visible(d, "card-federated"), message="the card does not say the account is federated")
    assert FR["card.federatedTitle"].upper() in box.text.upper() and "FranceConnect" in box.text
    assert login not in box.text, "a federated account's login is not handed over"
    assert by_testid(driver, "badge-federated").text == FR["badge.federated"]
    for absent in ("reveal-code", "renewal-issue", "activation-code"):
        assert not all_by_testid(driver, absent), f"{absent} on a federated card"
    shot(driver, "20-federated-card")

    # The server refuses a renewal code whatever the page shows.
    status, answer = driver.execute_async_script(
        """
        const [path, done] = arguments;
        fetch('/api/v1/session', {credentials: 'same-origin'}).then((r) => r.json()).then((session) =>
          fetch(path, {method: 'POST', credentials: 'same-origin', body: '{}',
                       headers: {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken}}))
          .then(async (r) => done([r.status, await r.json().catch(() => null)]))
          .catch((e) => done([0, String(e)]));
        """,
        f"/api/v1/accounts/{login}/renewal-code",
    )
    assert status == 409 and answer["code"] == "account-federated", (status, answer)
    # Chrome logs the 409 it was asked for as "Failed to load resource": that one is expected.
    assert [p for p in console_problems(driver) if "renewal-code" not in p] == []
    by_testid(driver, "back-to-results").click()
    search.send_keys(Keys.ESCAPE)
