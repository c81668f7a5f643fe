"""index.html in a real headless Chromium: the matrix counts, the filters, a failure expanding.

Needs Debian's chromium and chromium-driver and selenium (`.ci/install-browser` installs them);
skips, saying which is missing, where they are not installed.
"""
import shutil
import tempfile

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (run .ci/install-browser)"
    for binary in ("chromium", "chromedriver"):
        if not shutil.which(binary):
            return f"{binary} is not installed (run .ci/install-browser)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _visible_rows(driver):
    return [r for r in driver.find_elements("css selector", "#matrix tbody tr") if r.is_displayed()]


def _select(driver, element_id, value):
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element("id", element_id)).select_by_value(value)


def test_the_matrix_shows_the_runs_counts_and_filters_by_outcome(browser, moto_run):
    doc, out = moto_run
    browser.get((out / "index.html").as_uri())
    totals = doc["totals"]
    assert len(_visible_rows(browser)) == totals["operations"]
    assert browser.find_element("id", "shown-count").text == f"{totals['operations']} of {totals['operations']} operations shown"
    assert browser.find_element("id", "not-implemented-count").text == str(totals["NOT IMPLEMENTED"])
    assert browser.find_element("id", "implemented-count").text == str(
        totals["PASS"] + totals["WARN"] + totals["FAIL"])
    for verdict in ("NOT IMPLEMENTED", "FAIL", "PASS"):
        _select(browser, "filter-outcome", verdict)
        rows = _visible_rows(browser)
        assert len(rows) == totals[verdict], verdict
        assert {r.get_attribute("data-status") for r in rows} <= {verdict}
    _select(browser, "filter-outcome", "")


def test_filters_by_resource_and_by_check(browser, moto_run):
    doc, out = moto_run
    browser.get((out / "index.html").as_uri())
    _select(browser, "filter-resource", "schema")
    schema_ops = {op for op, row in doc["operations"].items() if row["resource"] == "schema"}
    assert {r.get_attribute("data-operation") for r in _visible_rows(browser)} == schema_ops
    _select(browser, "filter-resource", "")
    _select(browser, "filter-check", "wire.request-id")
    shown = [c for c in browser.find_elements("css selector", "#matrix tbody td[data-rule]") if c.is_displayed()]
    assert {c.get_attribute("data-rule") for c in shown} == {"wire.request-id"}
    assert len(shown) == len(doc["operations"])


def test_clicking_a_failing_cell_expands_its_failure_with_the_reproductions(browser, moto_run):
    doc, out = moto_run
    failing = [(op, rule) for op, row in doc["operations"].items() for rule, v in row["checks"].items() if v == "FAIL"]
    assert failing, "the moto run is expected to fail some check"
    op, rule = failing[0]
    browser.get((out / "index.html").as_uri())
    cell = browser.find_element("css selector", f'tr[data-operation="{op}"] td[data-rule="{rule}"] a')
    target_id = cell.get_attribute("href").split("#", 1)[1]
    details = browser.find_element("id", target_id)
    assert details.get_attribute("open") is None
    assert not details.find_element("css selector", ".body").is_displayed()
    cell.click()
    assert details.get_attribute("open") is not None
    body = details.find_element("css selector", ".body")
    assert body.is_displayed()
    text = body.text
    assert "curl" in text and "import boto3" in text and "hypothesis seed" in text and rule in text


def test_the_page_runs_without_script_errors(browser, moto_run):
    doc, out = moto_run
    browser.get((out / "index.html").as_uri())
    logs = browser.get_log("browser")
    assert not [entry for entry in logs if entry.get("level") == "SEVERE"], logs
