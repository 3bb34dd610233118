"""schemathesis against the dashboard's own OpenAPI document: no 5xx, no contract violation.

Bounded: a few generated examples per operation (derandomized), so the run stays well
under a minute; the load figures live in benchmarks/dashboard_load.py. Jobs that pass
validation are queued (at most two wait; more get the documented 429).
"""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, settings
    from schemathesis import checks

from silkchain.dashboard import create_app

# the ASGI test client names itself "testserver" in the Host header
APP = create_app(max_pending=2, hosts=("127.0.0.1", "testserver"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    # every check but "schema-valid data is accepted": which years, countries and codes a
    # dataset has is data, not schema, and such requests get a documented 422 by design
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])
