"""Hostile requests: each gets a 4xx naming the field, never a 5xx or a reset."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from silkchain.dashboard import create_app

from .conftest import TestClient

SCENARIO = "/api/jobs/scenario"


def post_raw(client, path, data: bytes, **headers):
    return client.post(path, content=data, headers={"Content-Type": "application/json",
                                                    **headers})


@pytest.mark.parametrize(("body", "status", "message"), [
    (b'{"year": NaN, "form": {}}', 422, "body.year: NaN is not a finite number"),
    (b'{"year": 2011, "scenario": {"steps": [{"transfer": {"share": Infinity}}]}}', 422,
     "body.scenario.steps.0.transfer.share: Infinity is not a finite number"),
    (b'{"year": 2011, "scenario": {"x": -Infinity}}', 422, "body.scenario.x: -Infinity"),
    (b'{"year": 2011, "scenario": {"x": 1e999}}', 422, "body.scenario.x: 1e999 is beyond"),
    (b'{"year": 2011, "scenario": {"x": ' + b"9" * 400 + b"}}", 422,
     "body.scenario.x: 999999999999… (400 digits) has more than 18 digits"),
    (b"[" * 100_000, 413, "body: 100000 bytes declared; at most 65536"),
    (b"[" * 5_000 + b"]" * 5_000, 422, "body: JSON nested 5000 levels deep; at most 32"),
    (b'{"year": 2011, "form": ', 422, "body: not valid JSON at line 1 column 24: Expecting value"),
    (b'\xff\xfe{"year"', 422, "body: not valid JSON"),
    (b'{"year": "2011x", "form": {}}', 422, "body.year: Input should be a valid integer"),
    (b'{"year": 2011, "form": {"share": 0.5}}', 422, "body.form.share: Input should be a "
                                                     "valid string"),
])
def test_malformed_bodies_get_a_4xx_naming_the_field(client, body, status, message):
    r = post_raw(client, SCENARIO, body)
    assert r.status_code == status, r.text
    assert message in r.json()["detail"]


def test_a_large_body_is_refused_before_it_is_read(client):
    def chunks():
        for _ in range(200):
            yield b" " * 1024  # no Content-Length: streamed

    r = client.post(SCENARIO, content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"] == "body: more than 65536 bytes; at most 65536"


def test_unknown_codes_are_refused_at_submit_time(client):
    form = {"kind": "transfer", "from": "CHN", "to": "XXX", "sector": "c4", "share": "0.2"}
    r = client.post(SCENARIO, json={"year": 2011, "form": form})
    assert r.status_code == 422 and "unknown country 'XXX'" in r.json()["detail"]
    spec = {"steps": [{"transfer": {"from": "CHN", "to": "ZZZ", "sector": "c4", "share": 0.2}}]}
    r = client.post(SCENARIO, json={"year": 2011, "scenario": spec})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("steps[0].transfer.to: unknown country 'ZZZ' (in "
                                         "wiod2013; its countries: AUS")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io"])
def test_foreign_host_headers_are_refused(client, host):
    r = client.get("/api/datasets", headers={"Host": host})
    assert r.status_code == 400
    assert r.json()["detail"].startswith(f"header Host: {host!r} is not a name")


def test_posts_from_another_origin_are_refused(client):
    body = {"countries": ["CHN"], "start": 2011, "end": 2011}
    r = client.post("/api/jobs/measure", json=body, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and r.json()["detail"].startswith("header Origin:")
    r = client.post("/api/jobs/measure", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and "Sec-Fetch-Site" in r.json()["detail"]
    r = client.post("/api/jobs/measure", json=body, headers={"Origin": "http://127.0.0.1"})
    assert r.status_code == 202, r.text


def test_a_token_guards_everything_but_health():
    with TestClient(create_app(token="s3cret", hosts=("*",)),
                    base_url="http://dash.example") as c:
        assert c.get("/api/health").status_code == 200
        r = c.get("/api/datasets")
        assert r.status_code == 401 and r.json()["detail"].startswith("header Authorization")
        assert c.get("/api/datasets", headers={"Authorization": "Bearer nope"}
                     ).status_code == 401
        assert c.get("/api/datasets", headers={"Authorization": "Bearer s3cret"}
                     ).status_code == 200
        r = c.get("/?token=s3cret")  # the URL printed by serve: sets the cookie
        assert r.status_code == 200 and "silkchain_token=s3cret" in r.headers["set-cookie"]
        assert c.get("/api/datasets").status_code == 200  # the cookie now carries it


def test_openapi_documents_the_answers_the_server_gives(client):
    spec = client.get("/openapi.json").json()
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status in ("404", "422", "429"):
                got = op["responses"][status]["content"]["application/json"]["schema"]
                assert got == problem, (path, method, status)
    # OPTIONS on a job kind is not routed to /api/jobs/{job_id}
    r = client.options("/api/jobs/scenario")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert set(spec["paths"]["/api/download"]["get"]["responses"]["200"]["content"]) == {
        "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_the_api_page_is_self_contained(client):
    html = client.get("/docs").text
    assert "/api/jobs/scenario" in html and "ScenarioRequest" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_serve_on_port_0_prints_the_bound_port(tmp_path):
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "silkchain", "serve", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env)
    try:
        line = proc.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ ", line)
        assert found, line
        port = int(found.group(1))
        assert port != 0
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health") as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_submission_reads_no_table(client, monkeypatch):
    from silkchain.dashboard import service

    client.get("/api/datasets/wiod2013")  # labels read once (start-up does it too)

    def no_read(*args, **kwargs):
        raise AssertionError("a submission read a table")

    monkeypatch.setattr(service, "read", no_read)
    monkeypatch.setattr(service, "_read", no_read)
    form = {"kind": "transfer", "from": "CHN", "to": "QQQ", "sector": "c4", "share": "0.2"}
    r = client.post(SCENARIO, json={"year": 2011, "form": form})
    assert r.status_code == 422 and "unknown country 'QQQ'" in r.json()["detail"]
    spec = {"steps": [{"extract": {"what": "exports", "country": "CHN", "sector": "zz"}}]}
    r = client.post(SCENARIO, json={"year": 2011, "scenario": spec})
    assert r.status_code == 422 and "steps[0].extract.sector: unknown sector 'zz'" in \
        r.json()["detail"]
    r = client.post("/api/jobs/measure", json={"countries": ["CHN", "XYZ"], "group": "bri64"})
    assert r.status_code == 422 and "unknown country 'XYZ'" in r.json()["detail"]
