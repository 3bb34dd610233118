"""The JSON API: health, OpenAPI, datasets, measures, jobs, downloads, input validation."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from silkchain import read
from silkchain.dashboard import create_app
from silkchain.measures.participation import koopman

from .conftest import TestClient


def test_health_and_openapi(client):
    assert client.get("/api/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    for path in ("/api/health", "/api/datasets", "/api/measure", "/api/jobs/measure",
                 "/api/jobs/{job_id}", "/api/download", "/api/measures"):
        assert path in spec["paths"], path


def test_datasets_list_the_bundled_panel(client):
    panels = {p["name"]: p for p in client.get("/api/datasets").json()}
    assert panels["wiod2013"]["years"] == list(range(1995, 2012))
    info = client.get("/api/datasets/wiod2013").json()
    assert len(info["countries"]) == 41 and "CHN" in info["countries"]
    assert info["sectors"][0]["code"] == "c1"


def test_unknown_dataset_is_404_with_the_available_names(client):
    r = client.get("/api/datasets/nosuch")
    assert r.status_code == 404
    assert r.json()["detail"] == "unknown dataset 'nosuch'; available: wiod2013"
    r = client.get("/api/measure", params={"dataset": "nosuch", "countries": "CHN"})
    assert r.status_code == 404 and "available: wiod2013" in r.json()["detail"]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "wiod2013:2011",
                                 "C:\\x", "a b"])
def test_no_request_value_becomes_a_path(client, bad):
    r = client.get("/api/measure", params={"dataset": bad, "countries": "CHN"})
    assert r.status_code == 422
    assert "dataset must be a dataset name such as 'wiod2013'" in r.json()["detail"]


def test_static_files_are_a_fixed_list(client):
    assert client.get("/static/dashboard.js").status_code == 200
    r = client.get("/static/..%2F__init__.py")
    assert r.status_code == 404
    assert client.get("/static/app.py").json()["detail"].startswith("no static file 'app.py'")


def test_unknown_country_names_it_and_lists_the_codes(client):
    r = client.get("/api/measure", params={"countries": "CHN,XYZ,QQQ"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("unknown countries 'XYZ', 'QQQ' in wiod2013; available: AUS")


@pytest.mark.parametrize(("params", "message"), [
    ({"countries": "CHN", "start": 1990}, "start year 1990 is outside wiod2013's years 1995-2011"),
    ({"countries": "CHN", "start": 2011, "end": 2005}, "start year 2011 is after end year 2005"),
    ({"countries": "CHN", "measure": "nope"}, "unknown measure 'nope'; available: totals"),
    ({"countries": "CHN", "measure": "koopman", "variable": "DVA"},
     "unknown variable 'DVA' of measure 'koopman'; available: participation"),
    ({"countries": ""}, "name at least one country (or a group)"),
    ({"countries": ",".join(["CHN"] * 81)}, "countries: List should have at most 80 items"),
    ({"countries": "CH;N"}, "not a country code: 'CH;N'"),
])
def test_bad_input_gets_a_clear_422(client, params, message):
    r = client.get("/api/measure", params=params)
    assert r.status_code == 422, r.text
    assert message in r.json()["detail"]


def test_sizes_are_bounded_before_anything_runs(client):
    r = client.get("/api/measure", params={"countries": "C" * 801})
    assert r.status_code == 422  # longer than the query limit
    r = client.get("/api/measure", params={"countries": "CHN", "start": 99999})
    assert r.status_code == 422
    r = client.post("/api/jobs/measure", json={"countries": ["CHN"], "surprise": 1})
    assert r.status_code == 422 and "surprise" in r.text


def test_measure_rows_are_the_python_api_values(client):
    r = client.get("/api/measure", params={"countries": "CHN,IND", "start": 2010, "end": 2011,
                                           "measure": "koopman", "variable": "position"})
    body = r.json()
    assert body["years"] == [2010, 2011] and body["countries"] == ["CHN", "IND"]
    got = pd.DataFrame(body["rows"]).set_index(["year", "country"])["value"]
    for year in (2010, 2011):
        ref = koopman(read(f"wiod2013:{year}"), level="country")
        ref = ref[ref["measure"] == "position"].set_index("country")["value"]
        for c in ("CHN", "IND"):
            assert got[(year, c)] == pytest.approx(ref[c], rel=1e-12)


def test_totals_match_the_table(client):
    body = client.get("/api/measure", params={"countries": "USA", "start": 2011,
                                              "end": 2011}).json()
    t = read("wiod2013:2011")
    i = t.labels.countries.index("USA")
    assert body["rows"][0]["value"] == pytest.approx(t.E[i * t.N:(i + 1) * t.N].sum())


def test_measure_job_reports_progress_and_returns_chart_and_table(client):
    r = client.post("/api/jobs/measure", json={"countries": ["CHN", "IND"], "start": 2010,
                                               "end": 2011, "measure": "totals",
                                               "variable": "value_added"})
    assert r.status_code == 202
    job = r.json()
    assert job["total"] == 2 and job["status"] in ("queued", "running", "done")
    client.app.state.jobs.wait(job["id"])
    done = client.get(f"/api/jobs/{job['id']}").json()
    assert done["status"] == "done" and done["fraction"] == 1.0
    res = done["result"]
    assert [t["name"] for t in res["figure"]["data"]] == ["China", "India"]
    assert res["table"]["columns"] == ["country", "code", "2010", "2011"]
    assert [row[:2] for row in res["table"]["rows"]] == [["China", "CHN"], ["India", "IND"]]
    assert res["table"]["decimals"] == [None, None, 0, 0]  # one format per column
    assert res["figure"]["layout"]["yaxis"]["title"]["text"] == "value_added (" + \
        res["unit"] + ")"


def test_jobs_validate_before_queueing_and_unknown_jobs_are_404(client):
    r = client.post("/api/jobs/measure", json={"countries": ["XYZ"]})
    assert r.status_code == 422 and "unknown country 'XYZ'" in r.json()["detail"]
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404
    r = client.get("/api/jobs/not-a-job")
    assert r.status_code == 404 and "not a job id" in r.json()["detail"]


def test_a_full_queue_answers_429():
    with TestClient(create_app(max_pending=0), base_url="http://127.0.0.1") as c:
        r = c.post("/api/jobs/measure", json={"countries": ["CHN"]})
    assert r.status_code == 429 and "already waiting" in r.json()["detail"]


def test_a_closed_queue_answers_503_and_reopens_with_the_app():
    app = create_app()
    with TestClient(app, base_url="http://127.0.0.1") as c:
        app.state.jobs.shutdown()
        r = c.post("/api/jobs/measure", json={"countries": ["CHN"]})
        assert r.status_code == 503 and "shutting down" in r.json()["detail"]
    with TestClient(app, base_url="http://127.0.0.1") as c:  # started again
        assert c.post("/api/jobs/measure", json={"countries": ["CHN"]}).status_code == 202


def test_download_csv_and_excel(client):
    params = {"countries": "CHN,RUS", "start": 2011, "end": 2011, "measure": "totals",
              "variable": "gross_output"}
    rows = pd.DataFrame(client.get("/api/measure", params=params).json()["rows"])
    r = client.get("/api/download", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="wiod2013_totals_gross_output_2011-2011.csv"' in \
        r.headers["content-disposition"]
    got = pd.read_csv(io.StringIO(r.text))
    assert got["name"].tolist() == ["China", "Russia"]
    pd.testing.assert_frame_equal(got[rows.columns], rows, check_dtype=False)
    r = client.get("/api/download", params={**params, "format": "xlsx"})
    sheets = pd.read_excel(io.BytesIO(r.content), sheet_name=None)
    pd.testing.assert_frame_equal(sheets["data"][rows.columns], rows, check_dtype=False)
    assert client.get("/api/download", params={**params, "format": "exe"}).status_code == 422


def test_the_page_has_the_controls(client):
    html = client.get("/").text
    for element in ('id="dataset"', 'id="countries"', 'id="measure"', 'id="variable"',
                    'id="measure-chart"', 'id="download-csv"', 'id="measure-progress"',
                    '<option value="CHN" selected>China (CHN)</option>',
                    "/static/plotly.min.js"):
        assert element in html
    assert "cdn" not in html.lower()


def test_a_group_is_one_line_and_its_members_come_on_demand(client):
    params = {"group": "bri64", "start": 2010, "end": 2011, "measure": "totals",
              "variable": "gross_exports"}
    body = client.get("/api/measure", params=params).json()
    assert body["countries"] == []
    members = client.get("/api/groups/bri64").json()["countries"]
    assert body["group"] == f"bri64 (sum of {len(members)} members)"
    got = pd.DataFrame(body["rows"]).set_index("year")["value"]
    t = read("wiod2013:2011")
    exports = t.E.reshape(t.G, t.N).sum(1)
    want = sum(exports[t.labels.countries.index(c)] for c in members)
    assert got[2011] == pytest.approx(want, rel=1e-12)
    with_members = client.get("/api/measure", params={**params, "members": True}).json()
    assert with_members["countries"] == members
    assert len(with_members["rows"]) == 2 * (1 + len(members))
    # a share is combined with export weights, never summed
    share = client.get("/api/measure", params={**params, "measure": "koopman",
                                                "variable": "participation"}).json()
    assert "export-weighted mean" in share["group"]
    assert 0 < share["rows"][0]["value"] < 1


def test_a_group_line_states_its_coverage(client):
    r = client.post("/api/jobs/measure", json={"group": "bri64", "start": 2011, "end": 2011})
    job = client.app.state.jobs.wait(r.json()["id"])
    assert job.result["coverage"].startswith("bri64: 14 of 64 members are countries of the "
                                             "table")


def test_many_countries_get_distinct_colours(client):
    codes = client.get("/api/datasets/wiod2013").json()["countries"][:24]
    r = client.post("/api/jobs/measure", json={"countries": codes, "start": 2010, "end": 2011})
    job = client.app.state.jobs.wait(r.json()["id"])
    lines = [t["line"]["color"] for t in job.result["figure"]["data"]]
    assert len(lines) == 24 == len(set(lines))


def test_dataset_details_carry_names_and_source_neutral_defaults(client):
    info = client.get("/api/datasets/wiod2013").json()
    assert info["country_names"]["CHN"] == "China"
    assert info["defaults"]["countries"] == ["CHN", "IND", "RUS"]
    from silkchain.concordances.broad import resolve_broad

    assert info["defaults"]["sector"] == resolve_broad(read("wiod2013:2011"), "textiles")[0]


def test_a_cached_multi_year_download_reads_no_table(client, monkeypatch):
    from silkchain.dashboard import service

    params = {"countries": "CHN,IND", "start": 2007, "end": 2011, "measure": "totals"}
    assert client.get("/api/download", params=params).status_code == 200  # fills the cache
    reads = []
    monkeypatch.setattr(service, "_read", lambda *a: reads.append(a))
    r = client.get("/api/download", params=params)
    assert r.status_code == 200 and reads == []
    assert r.text.count("\n") == 1 + 5 * 2


def test_results_follow_the_stored_table_and_survive_a_restart(tmp_path, monkeypatch):
    """A re-imported table is computed again; a restarted server reuses the store's cache."""
    import numpy as np

    from silkchain.dashboard import service
    from silkchain.io.store import Store
    from silkchain.table import MRIOTable

    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))

    def table(scale: float) -> MRIOTable:
        z = np.array([[2.0, 1.0], [1.0, 3.0]])
        y = np.array([[4.0, 1.0], [2.0, 5.0]]) * scale
        return MRIOTable.from_arrays(z, y, ["AAA", "BBB"], ["s1"], meta={"year": 2020})

    def exports() -> float:
        service._LIST_CACHE.clear()
        panel = service.check_dataset("mini")
        frame = service.measure_panel(panel, [2020], "totals", "gross_exports", ["AAA"])
        return float(frame["value"].iloc[0])

    try:
        Store().put_table(table(1.0), "mini:2020")
        first = exports()
        Store().put_table(table(2.0), "mini:2020")  # other data under the same id
        second = exports()
        assert second != first
        forget()  # what a restart forgets: the store's cache serves it
        computed = []
        monkeypatch.setattr(service, "_read", lambda *a: computed.append(a))
        assert exports() == second and computed == []
    finally:
        forget()


def test_gaps_in_a_measure_say_why(client, tmp_path, monkeypatch):
    """A share of exports of a country that exports nothing is a gap with its reason."""
    monkeypatch.setenv("SILKCHAIN_HOME", str(tmp_path / "store"))
    put_mute_tables()
    forget()
    try:
        r = client.get("/api/measure", params={
            "dataset": "mute", "start": 2019, "end": 2020, "countries": "AAA,CCC",
            "measure": "koopman", "variable": "participation"})
        assert r.status_code == 200, r.text
        body = r.json()
        gaps = [row for row in body["rows"] if row["value"] is None]
        assert {row["country"] for row in gaps} == {"CCC"} and len(gaps) == 2
        assert body["undefined"] == ["CCC has no exports (2019, 2020)"]
        ok = client.get("/api/measure", params={"countries": "CHN", "measure": "koopman"})
        assert ok.json()["undefined"] == []
    finally:
        forget()


def forget() -> None:
    """Drop the dashboard's in-memory caches (what a restart forgets, and what tests on
    another store must not leave behind)."""
    from silkchain.dashboard import service

    for cache in (service._LIST_CACHE, service._LABELS, service._DEFAULT_SECTORS):
        cache.clear()
    service._read_version.cache_clear()
    service._measure_frame.cache_clear()


def put_mute_tables(years: tuple[int, ...] = (2019, 2020)) -> None:
    """``mute:YEAR`` in the store: three countries, of which CCC exports nothing."""
    import numpy as np

    from silkchain.io.store import Store
    from silkchain.table import MRIOTable

    z = np.array([[1.0, 2.0, 1.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([[5.0, 1.0, 0.0], [1.0, 5.0, 0.0], [0.0, 0.0, 5.0]])
    for year in years:
        Store().put_table(MRIOTable.from_arrays(z, y, ["AAA", "BBB", "CCC"], ["s1"],
                                                meta={"year": year}), f"mute:{year}")
