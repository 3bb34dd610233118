"""Belt and Road answers and scenarios through the API: validation first, then results."""

from __future__ import annotations

import pandas as pd
import pytest

from silkchain.bri import position


def test_answers_are_listed(client):
    names = [a["name"] for a in client.get("/api/answers").json()]
    assert names == ["value_capture", "participation_gains", "position", "china_hub",
                     "va_network", "smile_curve", "upgrading_paths", "exposure",
                     "why_changed"]


def test_bri_rows_are_the_python_api_rows(client):
    r = client.get("/api/bri/position", params={"start": 2010, "end": 2011, "measure": "U"})
    assert r.status_code == 200, r.text
    body = r.json()
    got = pd.DataFrame(body["rows"])
    want = position("wiod2013", group="bri64", years=[2010, 2011], scheduler="sync",
                    cache=False).query("measure == 'U'")
    assert len(got) == len(want) == body["total_rows"]
    assert got["value"].tolist() == pytest.approx(want["value"].tolist(), rel=1e-12)
    assert body["coverage"]["inside"][:2] == ["BGR", "CZE"]


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/api/bri/nosuch", {}, 404, "unknown answer 'nosuch'; available: value_capture"),
    ("/api/bri/position", {"group": "nogroup"}, 404, "unknown group 'nogroup'"),
    ("/api/bri/position", {"dataset": "../x"}, 422, "dataset must be a dataset name"),
    ("/api/bri/position", {"start": 1980}, 422, "start year 1980 is outside"),
    ("/api/bri/position", {"start": 2011, "end": 2011, "measure": "nope"}, 422,
     "unknown measure 'nope' of position; available: U"),
    ("/api/bri/position", {"limit": 10**7}, 422, "limit"),
])
def test_bri_input_is_validated(client, path, params, status, message):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    assert message in r.text


def test_bri_job_draws_the_report_chart(client):
    r = client.post("/api/jobs/bri", json={"answer": "china_hub", "start": 2011, "end": 2011})
    assert r.status_code == 202
    job = client.app.state.jobs.wait(r.json()["id"], timeout=120)
    assert job.status == "done", job.error
    res = client.get(f"/api/jobs/{job.id}").json()["result"]
    assert res["title"] == "CHN's share in partners' foreign value added"
    assert res["figure"]["data"][0]["type"] == "heatmap"
    assert "Johnson & Noguera (2012)" in res["citation"]
    assert "EST" in res["caveat"]


@pytest.mark.parametrize(("body", "message"), [
    ({"year": 2011, "scenario": {"table": "/etc/passwd", "steps": []}},
     "scenario.table is not accepted here"),
    ({"year": 2011}, "give either scenario (a specification) or form"),
    ({"year": 1990, "form": {}}, "wiod2013 has no year 1990"),
    ({"year": 2011, "form": {"from": "XXX", "sector": "c4"}}, "unknown country 'XXX'"),
    ({"year": 2011, "form": {"from": "CHN", "to": "IDN", "sector": "c99"}},
     "unknown sector 'c99'; available: c1"),
    ({"year": 2011, "form": {"from": "CHN", "to": "IDN", "sector": "c4", "share": "2"}},
     "share must be in [0, 1]; got 2"),
    ({"year": 2011, "form": {"from": "CHN", "path": "x"}}, "unknown form field 'path'"),
    ({"year": 2011, "scenario": {"steps": [{"extract": {"what": "exports", "wat": 1}}]}},
     "steps[0].extract.wat: unknown key"),
    ({"year": 2011, "scenario": {"steps": [{"extract": {"what": "exports",
                                                        "country": "CHN"}}] * 11}},
     "11 scenario steps; at most 10"),
])
def test_scenario_input_is_validated_before_it_runs(client, body, message):
    r = client.post("/api/jobs/scenario", json=body)
    assert r.status_code in (404, 422), r.text
    assert message in r.json()["detail"]


@pytest.mark.slow
def test_scenario_job_runs_and_returns_changes(client):
    form = {"kind": "extract", "from": "TUR", "sector": "c4"}
    r = client.post("/api/jobs/scenario", json={"year": 2011, "form": form})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"], timeout=300)
    assert job.status == "done", job.error
    res = job.result
    assert res["scenario"]["steps"][0]["extract"]["country"] == "TUR"
    rows = {row[0]: dict(zip(res["table"]["columns"], row, strict=True))
            for row in res["table"]["rows"]}
    assert next(iter(rows)) == "TUR"
    assert rows["TUR"]["gdp change %"] < 0
    assert len(res["sha256"]) == 64


def test_an_answer_job_reports_progress_year_by_year(client):
    from silkchain.dashboard import analyses, service

    calls = []
    panel = service.check_dataset("wiod2013")
    analyses.run_answer("value_capture", panel, [2010, 2011], "bri64",
                        progress=lambda done, total, year: calls.append((done, total)))
    assert calls and calls[-1] == (2, 2)  # the answer's own per-year progress comes through
    r = client.post("/api/jobs/bri", json={"answer": "value_capture", "start": 2009,
                                           "end": 2011})
    assert r.status_code == 202, r.text
    assert r.json()["total"] == 4  # three years, then the chart
    job = client.app.state.jobs.wait(r.json()["id"], timeout=300)
    assert job.status == "done", job.error
    assert job.public()["fraction"] == 1.0
