"""The dashboard in headless Chromium: it loads offline, reacts, keeps its state in the URL,
marks stale results, downloads, runs a scenario, fits a 400 px screen, and /docs is offline."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 60_000  # ms; the first computation reads three WIOD years


def open_dashboard(offline, live_server, query: str = "", page=None):
    page = page or offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/" + query)
    page.wait_for_selector("#measure-chart[data-draws='1'] .main-svg", timeout=TIMEOUT)
    return page, errors


def legend(page, chart: str) -> list[str]:
    return page.locator(f"#{chart} .legendtext").evaluate_all(
        "els => els.map(e => e.textContent)")


def test_page_loads_with_names_and_draws_the_first_chart(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    assert page.title() == "silkchain dashboard"
    assert legend(page, "measure-chart") == ["China", "India", "Russia"]
    assert page.locator("#measure-chart .scatterlayer .trace").count() == 3
    assert page.locator("#measure-table tbody tr td:first-child").all_inner_texts() == [
        "China", "India", "Russia"]
    assert page.inner_text("#measure-message") == "done"
    assert page.is_hidden("#measure-undefined")  # every value defined: no gaps to explain
    # the title sits above the chart, never under its toolbar; one y-label for one variable
    assert page.inner_text("#measure-chart-title").startswith("Gross exports")
    assert page.locator("#measure-chart .gtitle").count() == 0 or \
        page.text_content("#measure-chart .gtitle").strip() == ""
    assert page.text_content("#measure-chart .ytitle").startswith("gross_exports (")
    # every cell of a year column has the same number of decimals
    cells = page.locator("#measure-table tbody tr td:nth-child(3)").all_inner_texts()
    assert len({c.split(".")[-1].__len__() if "." in c else 0 for c in cells}) == 1
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    assert errors == [] and offline.blocked == []


def test_a_group_is_one_line_with_members_on_demand(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#countries", ["CHN"])
    page.wait_for_selector("#measure-chart[data-countries='CHN']", timeout=TIMEOUT)
    page.select_option("#group", "bri64")
    page.wait_for_selector("#measure-chart[data-countries='bri64,CHN']", timeout=TIMEOUT)
    names = legend(page, "measure-chart")
    assert len(names) == 2 and names[0].startswith("bri64 (sum of ")
    assert "members are countries of the table" in page.inner_text("#measure-coverage")
    page.check("#members")
    page.wait_for_function("document.querySelector('#measure-chart')"
                           ".getAttribute('data-countries').split(',').length > 10",
                           timeout=TIMEOUT)
    colours = page.locator("#measure-chart .scatterlayer .trace .js-line").evaluate_all(
        "els => els.map(e => e.style.stroke)")
    assert len(colours) > 10 and len(set(colours)) == len(colours)
    assert "g=bri64" in page.url and "members=1" in page.url
    page.screenshot(path=str(artifacts / "dashboard-group.png"), full_page=True)
    assert errors == [] and offline.blocked == []


def test_the_url_restores_a_view_and_errors_mark_results_stale(offline, live_server,
                                                                artifacts):
    query = "?ds=wiod2013&from=2005&to=2008&c=DEU,TUR&m=koopman&v=position"
    page, errors = open_dashboard(offline, live_server, query)
    assert page.input_value("#start") == "2005" and page.input_value("#end") == "2008"
    assert legend(page, "measure-chart") == ["Germany", "Türkiye"]
    assert page.input_value("#variable") == "position"
    assert "position" in page.inner_text("#measure-chart-title")
    # From after To: the message, and the previous chart marked out of date
    page.select_option("#start", "2010")
    page.wait_for_selector("#measure-message.error", timeout=TIMEOUT)
    assert "after end year" in page.inner_text("#measure-message")
    assert "stale" in page.get_attribute("#measure-result", "class")
    assert page.is_visible("#measure-result .stale-note")
    page.screenshot(path=str(artifacts / "dashboard-stale.png"), full_page=True)
    page.select_option("#start", "2006")
    page.wait_for_function("!document.querySelector('#measure-result')"
                           ".classList.contains('stale')", timeout=TIMEOUT)
    assert errors == [] and offline.blocked == []


def test_a_download_arrives_after_its_progress(offline, live_server, artifacts):
    page, _ = open_dashboard(offline, live_server)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "wiod2013_totals_gross_exports_2009-2011.csv"
    target = artifacts / download.suggested_filename
    download.save_as(str(target))
    frame = pd.read_csv(target)
    assert list(frame.columns) == ["year", "country", "name", "measure", "value", "unit"]
    assert sorted(frame["country"].unique()) == ["CHN", "IND", "RUS"]
    assert sorted(frame["year"].unique()) == [2009, 2010, 2011]
    assert "downloading" in page.inner_text("#measure-message")
    assert offline.blocked == []


def test_a_scenario_runs_and_its_results_download(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#sc-kind", "extract")
    assert not page.is_visible("#sc-to") and not page.is_visible("#sc-share")
    page.select_option("#sc-kind", "transfer")
    assert page.is_visible("#sc-to") and page.is_visible("#sc-share")
    sector = page.input_value("#sc-sector")
    assert "Textiles" in page.locator("#sc-sector option:checked").inner_text()
    page.select_option("#sc-from", "CHN")
    page.select_option("#sc-to", "IDN")
    page.fill("#sc-share", "0.25")
    page.click("#scenario-run")
    page.wait_for_selector("#scenario-chart[data-draws='1'] .main-svg", timeout=300_000)
    assert page.inner_text("#scenario-message") == "done"
    assert page.inner_text("#scenario-chart-title").startswith("25% of China's ")
    first = page.locator("#scenario-table tbody tr td:first-child").all_inner_texts()
    assert first[:2] == ["CHN", "IDN"]
    names = page.locator("#scenario-table tbody tr td:nth-child(2)").all_inner_texts()
    assert names[:2] == ["China", "Indonesia"]
    change = page.locator("#scenario-table tbody tr td:nth-child(4)").all_inner_texts()
    assert len({len(c.split(".")[-1]) for c in change}) == 1  # one format per column
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#scenario-csv")
    target = artifacts / "dashboard-scenario.csv"
    info.value.save_as(str(target))
    assert pd.read_csv(target).iloc[0, 0] == "CHN"
    assert f"ss={sector}" in page.url and "sk=transfer" in page.url
    page.locator("#scenario").screenshot(path=str(artifacts / "dashboard-scenario.png"))
    assert errors == [] and offline.blocked == []


def test_a_belt_and_road_answer_has_its_own_years(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    page.select_option("#bri-answer", "china_hub")
    page.select_option("#bri-start", "2011")
    page.select_option("#bri-end", "2011")
    page.click("#bri-run")
    page.wait_for_selector("#bri-chart[data-draws='1'] .main-svg", timeout=120_000)
    assert "Johnson & Noguera" in page.inner_text("#bri-cite")
    assert page.inner_text("#bri-chart-title") == "CHN's share in partners' foreign value added"
    assert "China" in page.locator("#bri-chart .ytick").all_text_contents() or \
        "India" in page.locator("#bri-chart .ytick").all_text_contents()  # names, not codes
    assert page.locator("#bri-chart .hm, #bri-chart image").count() > 0
    assert page.input_value("#start") == "2009"  # the explorer's years are its own
    page.locator("#bri").screenshot(path=str(artifacts / "dashboard-bri.png"))
    assert errors == [] and offline.blocked == []


def test_a_400_px_screen_does_not_overflow(browser, live_server, artifacts):
    from .conftest import OfflineContext

    ctx = OfflineContext(browser, viewport={"width": 400, "height": 800})
    try:
        page, errors = open_dashboard(ctx, live_server, page=ctx.context.new_page())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, width
        title = page.locator("#measure-chart-title").bounding_box()
        bar = page.locator("#measure-chart .modebar").bounding_box()
        assert bar is None or title["y"] + title["height"] <= bar["y"] + 1
        page.screenshot(path=str(artifacts / "dashboard-400px.png"), full_page=True)
        assert errors == [] and ctx.blocked == []
    finally:
        ctx.context.close()


def test_the_api_page_works_offline(offline, live_server, artifacts):
    page = offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/docs")
    page.wait_for_selector("#get--api-health")
    assert page.locator("section.op").count() >= 10
    page.click("#get--api-health .send")
    page.wait_for_function("document.querySelector('#get--api-health .answer')"
                           ".textContent.includes('\"ok\"')")
    page.screenshot(path=str(artifacts / "dashboard-api-docs.png"), full_page=True)
    assert errors == [] and offline.blocked == []


def test_the_sda_panel_draws_contributions_and_downloads_them(offline, live_server, artifacts):
    page, errors = open_dashboard(offline, live_server)
    assert page.input_value("#sda-start") == "1995" and page.input_value("#sda-end") == "2011"
    page.select_option("#sda-measure", "dva_share")
    page.select_option("#sda-start", "2010")
    page.click("#sda-run")
    page.wait_for_selector("#sda-chart[data-draws='1'] .main-svg", timeout=300_000)
    assert page.inner_text("#sda-message") == "done"
    assert "Dietzenbacher & Los" in page.inner_text("#sda-cite")
    assert "sourcing (where inputs come from)" in legend(page, "sda-chart")
    assert "China" in page.locator("#sda-chart .ytick").all_text_contents()  # names
    countries = page.locator("#sda-table tbody tr td:first-child").all_inner_texts()
    assert "CHN" in countries and "IND" in countries
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#sda-csv")
    target = artifacts / "dashboard-sda.csv"
    info.value.save_as(str(target))
    rows = pd.read_csv(target)
    assert {"dva_share.change", "dva_share.sourcing"} <= set(rows["measure"])
    assert "dfrom=2010" in page.url and "dm=dva_share" in page.url
    page.locator("#sda").screenshot(path=str(artifacts / "dashboard-sda.png"))
    assert errors == [] and offline.blocked == []


def test_gaps_in_a_chart_say_why(offline, live_server, artifacts, tmp_path, monkeypatch):
    """A country that exports nothing has no share of exports: the page says so."""
    from ..dashboard.test_dashboard_api import forget, put_mute_tables

    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    put_mute_tables()  # CCC exports nothing
    forget()
    try:
        page, errors = open_dashboard(
            offline, live_server, "?ds=mute&from=2019&to=2020&c=AAA,CCC&m=koopman"
            "&v=participation")
        page.wait_for_selector("#measure-undefined:not([hidden])", timeout=TIMEOUT)
        assert page.inner_text("#measure-undefined") == (
            "Gaps in the chart and table: CCC has no exports (2019, 2020).")
        page.screenshot(path=str(artifacts / "dashboard-gaps.png"), full_page=True)
        assert errors == [] and offline.blocked == []
    finally:
        forget()
