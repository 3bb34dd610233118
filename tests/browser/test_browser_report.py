"""The report opens in Chromium with every network request blocked, and every chart renders."""

from __future__ import annotations

import pytest

try:  # the same two-year report as tests/report (built once per process)
    from tests.report.shared import small_report
except ImportError:  # rootdir layout without a tests package
    from report.shared import small_report  # type: ignore[no-redef]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_report_renders_every_chart_offline(offline, artifacts):
    result = small_report()
    page = offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(result.html.resolve().as_uri())
    n = len(result.report.charts)
    # the answers, the transfer scenario, why-changed, exposure and the reshoring scenario
    assert page.locator("div.chart[data-chart]").count() == n == 17
    page.wait_for_function(f"document.body.getAttribute('data-charts-rendered') === '{n}'",
                           timeout=60_000)
    rendered = page.locator("div.chart[data-rendered='true']").count()
    assert rendered == n
    for chart in result.report.charts:  # each drew its own SVG with marks in it
        el = page.locator(f"#chart-{chart.key}")
        assert el.locator(".main-svg").count() >= 1, chart.key
        marks = el.locator(".point, path.bars, .bars path, .hm, .sankey-link, .sankey .node, "
                           ".js-line, image, .scatterlayer .trace").count()
        assert marks > 0, chart.key
    # open start circles render open: their fill is transparent, their outline coloured
    fills = page.locator("#chart-participation-position path.point").evaluate_all(
        "els => els.filter(e => (e.getAttribute('d') || '').length > 0)"
        ".map(e => [getComputedStyle(e).fill, getComputedStyle(e).fillOpacity, "
        "e.style.strokeWidth])")
    assert any((f == "none" or o == "0") and float((w or "0px")[:-2]) > 0
               for f, o, w in fills), fills[:8]
    # the position small multiples carry a y-label each; % tables beside % charts
    ytitles = page.locator("#chart-position-china .ytitle, #chart-position-china .y2title, "
                           "#chart-position-china .y3title").all_text_contents()
    assert len(ytitles) == 3 and all(ytitles)
    assert "DVA share, %" in page.inner_text("#value-capture")
    assert errors == []
    assert offline.blocked == []  # nothing tried to leave the machine
    page.screenshot(path=str(artifacts / "report.png"), full_page=False)
    page.locator("#fig-participation-position").screenshot(
        path=str(artifacts / "report-participation-position.png"))
    page.locator("#fig-va-sankey").screenshot(path=str(artifacts / "report-sankey.png"))
