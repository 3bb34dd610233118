"""The dashboard's SDA panel (two years, a measure, chart, table, CSV) and the exposure
answer's chart, through the API."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from silkchain.bri.why_changed import why_changed


def test_sda_measures_come_from_the_catalogue(client):
    from silkchain.measures.sda import MEASURES

    names = [m["name"] for m in client.get("/api/sda/measures").json()]
    assert names == list(MEASURES)


@pytest.mark.parametrize(("body", "message"), [
    ({"start": 2011, "end": 2010}, "the first year (2011) must be before the last (2010)"),
    ({"start": 2011, "end": 2011}, "must be before the last"),
    ({"start": 1990, "end": 2011}, "wiod2013 has no year 1990"),
    ({"start": 2010, "end": 2011, "measure": "gdp"}, "unknown SDA measure 'gdp'"),
    ({"start": 2010, "end": 2011, "group": "nosuch"}, "nosuch"),
])
def test_sda_input_is_validated_before_it_runs(client, body, message):
    r = client.post("/api/jobs/sda", json=body)
    assert r.status_code in (404, 422), r.text
    assert message in r.text


def test_sda_job_draws_contributions_that_add_up_and_the_csv_is_the_api(client):
    r = client.post("/api/jobs/sda", json={"start": 2010, "end": 2011})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"], timeout=300)
    assert job.status == "done", job.error
    res = client.get(f"/api/jobs/{job.id}").json()["result"]
    assert "Dietzenbacher & Los (1998)" in res["citation"]
    assert "current prices" in res["guide"]
    bars = [t for t in res["figure"]["data"] if t["type"] == "bar"]
    assert len(bars) == 6  # v, technology, sourcing, level, destination mix, product mix
    table = pd.DataFrame(res["table"]["rows"], columns=res["table"]["columns"])
    factors = [c for c in table.columns if c not in ("country", "2010", "2011", "change")]
    np.testing.assert_allclose(table[factors].sum(axis=1), table["change"], atol=1e-9)
    direct = why_changed("wiod2013", years=[2010, 2011])
    chn = direct.set_index(["country", "measure"])["value"]
    got = table.set_index("country")
    assert got.loc["CHN", "change"] == pytest.approx(100 * chn["CHN", "dva_share.change"],
                                                     rel=1e-12)
    csv = client.get("/api/download/sda", params={"start": 2010, "end": 2011})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "sda_wiod2013_dva_share_2010-2011.csv" in csv.headers["content-disposition"]
    rows = pd.read_csv(io.StringIO(csv.text), keep_default_na=False)
    pd.testing.assert_series_equal(rows["value"], direct["value"].reset_index(drop=True),
                                   check_names=False, rtol=1e-12)


def test_exposure_answer_has_a_chart(client):
    r = client.post("/api/jobs/bri", json={"answer": "exposure", "start": 2011, "end": 2011})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"], timeout=300)
    assert job.status == "done", job.error
    res = client.get(f"/api/jobs/{job.id}").json()["result"]
    assert "Baldwin, Freeman & Theodorakopoulos (2022)" in res["citation"]
    names = [t["name"] for t in res["figure"]["data"]]
    assert names == ["face value (direct inputs)", "look-through (all stages)"]
    fv, lt = (res["figure"]["data"][i]["x"] for i in (0, 1))
    fv = _numbers(fv)
    lt = _numbers(lt)
    assert (np.asarray(lt) >= np.asarray(fv) - 1e-12).all()  # look-through >= face value


def _numbers(data):
    import base64

    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def test_the_page_has_the_sda_panel(client):
    html = client.get("/").text
    assert 'id="sda"' in html and 'id="sda-measure"' in html and 'value="dva_share"' in html
