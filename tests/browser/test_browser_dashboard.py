"""The dashboard in headless Chromium: it loads, reacts to a country, downloads, runs a scenario."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 60_000  # ms; the first computation reads three WIOD years


def open_dashboard(offline, live_server):
    page = offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    page.wait_for_selector("#measure-chart[data-draws='1'] .main-svg", timeout=TIMEOUT)
    return page, errors


def legend(page, chart: str) -> list[str]:
    return page.locator(f"#{chart} .legendtext").evaluate_all(
        "els => els.map(e => e.textContent)")


def test_page_loads_and_draws_the_first_chart(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    assert page.title() == "silkchain dashboard"
    assert legend(page, "measure-chart") == ["CHN", "IND", "RUS"]
    assert page.locator("#measure-chart .scatterlayer .trace").count() == 3
    assert page.locator("#measure-table tbody tr").count() == 3
    assert page.inner_text("#measure-message") == "done"
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    assert errors == [] and offline.blocked == []


def test_choosing_a_country_updates_the_chart(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#countries", ["CHN", "DEU", "IDN", "TUR"])
    page.wait_for_selector("#measure-chart[data-countries='CHN,DEU,IDN,TUR']", timeout=TIMEOUT)
    assert legend(page, "measure-chart") == ["CHN", "DEU", "IDN", "TUR"]
    assert page.locator("#measure-chart .scatterlayer .trace").count() == 4
    first_cells = page.locator("#measure-table tbody tr td:first-child").all_inner_texts()
    assert first_cells == ["CHN", "DEU", "IDN", "TUR"]
    # a different measure redraws the same chart with the new variable in its title
    page.select_option("#measure", "koopman")
    page.wait_for_function(
        "document.querySelector('#measure-chart .gtitle') && "
        "document.querySelector('#measure-chart .gtitle').textContent.includes('participation')",
        timeout=TIMEOUT)
    page.screenshot(path=str(artifacts / "dashboard-countries.png"), full_page=True)
    assert errors == [] and offline.blocked == []


def test_a_download_arrives(offline, live_server, artifacts):
    page, _ = open_dashboard(offline, live_server)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "wiod2013_totals_gross_exports_2009-2011.csv"
    target = artifacts / download.suggested_filename
    download.save_as(str(target))
    frame = pd.read_csv(target)
    assert list(frame.columns) == ["year", "country", "measure", "value"]
    assert sorted(frame["country"].unique()) == ["CHN", "IND", "RUS"]
    assert sorted(frame["year"].unique()) == [2009, 2010, 2011]
    assert offline.blocked == []


def test_a_scenario_runs(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#sc-kind", "transfer")
    page.select_option("#sc-from", "CHN")
    page.select_option("#sc-to", "IDN")
    page.select_option("#sc-sector", "c4")
    page.fill("#sc-share", "0.25")
    page.click("#scenario-run")
    page.wait_for_selector("#scenario-chart[data-draws='1'] .main-svg", timeout=300_000)
    assert page.inner_text("#scenario-message") == "done"
    first = page.locator("#scenario-table tbody tr td:first-child").all_inner_texts()
    assert first[:2] == ["CHN", "IDN"]
    assert page.locator("#scenario-chart .bars path, #scenario-chart path.point").count() > 0
    page.locator("#scenario").screenshot(path=str(artifacts / "dashboard-scenario.png"))
    assert errors == [] and offline.blocked == []


def test_a_belt_and_road_answer_is_drawn(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#bri-answer", "china_hub")
    page.click("#bri-run")
    page.wait_for_selector("#bri-chart[data-draws='1'] .main-svg", timeout=120_000)
    assert "Johnson & Noguera" in page.inner_text("#bri-cite")
    assert page.locator("#bri-chart .hm, #bri-chart image").count() > 0
    page.locator("#bri").screenshot(path=str(artifacts / "dashboard-bri.png"))
    assert errors == [] and offline.blocked == []
