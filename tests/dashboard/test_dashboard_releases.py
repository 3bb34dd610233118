"""The dashboard on imported releases (fixtures in their real layout), not only WIOD 2013."""

from __future__ import annotations

from pathlib import Path

import pytest

from silkchain.dashboard import create_app, service

from .conftest import TestClient

RELEASES = ("oecd-icio-2023", "adb-mrio", "eora26")


def _forget() -> None:
    """Drop every cache the dashboard keeps about the store (datasets, labels, results)."""
    service._LIST_CACHE.clear()
    service._LABELS.clear()
    service._DEFAULT_SECTORS.clear()
    service._read_version.cache_clear()
    service._measure_frame.cache_clear()


@pytest.fixture(scope="module")
def release_client(tmp_path_factory: pytest.TempPathFactory):
    """A dashboard over a store holding the bundled WIOD 2013 and three imported releases."""
    import os

    from silkchain.io.sources.release import import_release
    from tests.data.releases import DATASET, write_release

    home = tmp_path_factory.mktemp("release-home")
    old = os.environ.get("SILKCHAIN_HOME")
    os.environ["SILKCHAIN_HOME"] = str(home)
    _forget()
    try:
        names = {}
        for source in RELEASES:
            path = write_release(source, Path(home) / "downloads" / source)
            import_release(path)
            names[source] = DATASET[source]
        with TestClient(create_app(), base_url="http://127.0.0.1") as c:
            yield c, names
    finally:
        if old is None:
            os.environ.pop("SILKCHAIN_HOME", None)
        else:
            os.environ["SILKCHAIN_HOME"] = old
        _forget()


@pytest.mark.parametrize("source", RELEASES)
def test_every_dataset_is_offered_with_its_own_labels(release_client, source):
    from silkchain import read
    from silkchain.concordances.broad import resolve_broad

    client, names = release_client
    listed = {p["name"]: p for p in client.get("/api/datasets").json()}
    name = names[source]
    assert listed[name]["years"] == [2018, 2019, 2020] and "wiod2013" in listed
    info = client.get(f"/api/datasets/{name}").json()
    table = read(f"{name}:2020")
    assert info["countries"] == list(table.labels.countries)
    assert [s["code"] for s in info["sectors"]] == list(table.labels.sectors)
    assert info["defaults"]["sector"] == resolve_broad(table, "textiles")[0]
    assert set(info["defaults"]["countries"]) <= set(info["countries"])


def test_the_page_opens_on_the_most_recent_dataset_with_its_codes(release_client):
    client, names = release_client
    html = client.get("/").text
    assert '<option value="wiod2013"' in html
    latest = [n for n in names.values() if f'<option value="{n}" data-years="2018,2019,2020"'
              f' data-rounded="no" selected>' in html]
    assert len(latest) == 1  # one of the 2020 releases, not WIOD 2013 (ends in 2011)
    info = client.get(f"/api/datasets/{latest[0]}").json()
    assert f'<option value="{info["defaults"]["sector"]}" selected>' in html
    assert 'id="rounding-caveat" hidden' in html  # the WIOD rounding caveat is not shown


@pytest.mark.parametrize("source", RELEASES)
def test_measures_groups_and_scenarios_run_on_each_release(release_client, source):
    client, names = release_client
    name = names[source]
    info = client.get(f"/api/datasets/{name}").json()
    r = client.post("/api/jobs/measure", json={"dataset": name, "start": 2018, "end": 2020,
                                               "countries": info["defaults"]["countries"],
                                               "group": "bri64", "measure": "totals"})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"], timeout=120)
    assert job.status == "done", job.error
    assert job.result["figure"]["data"][0]["name"].startswith("bri64 (sum of ")
    codes = info["countries"]
    form = {"kind": "transfer", "from": codes[0], "to": codes[1],
            "sector": info["defaults"]["sector"], "share": "0.1"}
    r = client.post("/api/jobs/scenario", json={"dataset": name, "year": 2020, "form": form})
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["id"], timeout=300)
    assert job.status == "done", job.error
    assert job.result["table"]["rows"][0][0] == codes[0]
