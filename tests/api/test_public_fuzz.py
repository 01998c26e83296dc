"""Issue 12 item 18: schemathesis over /api/v1/openapi.json, public endpoints only,
finds no server error: bodies that fit the schema and bodies that break it (wrong types,
missing fields) are each a 2xx or a 4xx problem."""

from __future__ import annotations

import itertools

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error


def test_public_endpoints_never_give_a_server_error(app, factory):
    factory.school("oakfield")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).include(
        path_regex="^/schools/"
    )
    addresses = itertools.count(1)  # one per example: the per-address limit is tested elsewhere
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2

    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(mode, path_parameters={"slug": "oakfield"}))
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case):
            n = next(addresses)
            address = f"10.9.{n // 250 % 250}.{n % 250 + 1}"
            response = case.call(environ_base={"REMOTE_ADDR": address})
            case.validate_response(response, checks=[not_a_server_error])

        run()
