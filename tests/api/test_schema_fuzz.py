"""Schemathesis over every operation of the OpenAPI schema (issue 10, "a true schema").

The schema is loaded from the portal's own WSGI application (``/api/schema/``) and every
operation is called in-process with generated requests, anonymously and with the tokens of
a citizen and of a clerk (SPEC §7: ``citizen``, ``window``), against the demo world. Each
answer must be no server error and conform to the schema: a documented status code, a
documented content type, a body valid against the documented schema (JSON objects may
carry no property the schema does not name: see ``_closed``).

Bounded for CI: a few examples per operation, derandomized (the same requests every run),
no deadline, no shrinking, no coverage or stateful phase. Positive and negative cases (any
string, NUL included: hostile input is a 4xx in the error envelope, never a 500).
"""

import copy

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.heavy(seconds=90)

MAX_EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261202,
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {
        "max-examples": MAX_EXAMPLES, "no-shrink": True, "deterministic": True,
    },
})
# Objects have small ids in the test database: the even generated path ids are folded into 1…30
# so that an operation on an object can reach one that exists, not only its 404. (The demo world
# seeds no applications, complaints, inquiries or cases: their operations mostly end in the 404.)
DEMO_IDS = 30


def _closed(schema: dict) -> dict:
    """Every object schema that names its properties and says nothing of others gets
    ``additionalProperties: false``: an answer with a field the schema does not describe
    fails the response check (the output serializers describe hand-built dicts; this keeps
    them from drifting apart)."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.get("components", {}))
    return schema


def _load():
    app = get_wsgi_application()
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=CONFIG)
    schema = schemathesis.openapi.from_dict(_closed(loaded.raw_schema), config=CONFIG)
    schema.app = app

    @schema.hook
    def map_path_parameters(context, path_parameters):
        # Every even id is folded into the demo world's range; odd ids stay as generated.
        return {name: 1 + value % DEMO_IDS if isinstance(value, int) and value % 2 == 0 else value
                for name, value in (path_parameters or {}).items()}

    return schema


schema = _load()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """A request through the WSGI handler closes the database connection when it ends
    (``close_old_connections``), which would end the test's transaction; Django's test client
    disconnects it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_of(world):
    from rest_framework.authtoken.models import Token

    made = {}

    def make(persona):
        if persona is None:
            return {}
        if persona not in made:
            token, _created = Token.objects.get_or_create(user=getattr(world, persona))
            made[persona] = {"Authorization": f"Token {token.key}"}
        return dict(made[persona])

    return make


PERSONAS = [None, "citizen", "window"]


@pytest.mark.postgres
# A pytest parametrization, even of one value, keeps each operation a test item of its own that
# pytest-xdist reports (schema.parametrize alone makes items whose results `-n 2` never showed).
@pytest.mark.parametrize("personas", [PERSONAS], ids=["anonymous-citizen-window"])
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, personas, token_of):
    """Each generated request is sent anonymously, as the citizen and as the clerk, one after the
    other. Derandomized, the requests generated for an operation do not depend on who sends them:
    parametrized by persona, the same cases were generated three times (half the file's time)."""
    for persona in personas:
        try:
            case.call_and_validate(headers=token_of(persona), checks=CHECKS)
        except Exception as failure:
            failure.add_note(f"sent as {persona or 'anonymous'}")
            raise


def _resolved(node: dict) -> dict:
    """``node`` with its ``$ref`` (to a component of the schema) followed."""
    while "$ref" in node:
        node = schema.raw_schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _answer(path: str, method: str, code: str) -> dict:
    operation = schema.raw_schema["paths"][path][method]
    return _resolved(operation["responses"][code]["content"]["application/json"]["schema"])


def test_no_success_answer_is_a_bare_object():
    """A client generated from the schema knows every answer's fields: no success response is an
    object without properties (OpenApiTypes.OBJECT) — output serializers describe them."""
    bare = []
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation.get("responses", {}).items():
                body = response.get("content", {}).get("application/json", {}).get("schema")
                if code.startswith("2") and body is not None:
                    body = _resolved(body.get("items", body) if body.get("type") == "array" else body)
                    if body.get("type") == "object" and "properties" not in body:
                        bare.append(f"{method.upper()} {path} {code}")
    assert not bare, bare


def test_the_center_figures_and_a_proxy_application_are_described_field_by_field():
    figures = _answer("/api/centers/{code}/figures/", "get", "200")
    assert set(figures["properties"]) == set(figures["required"]) == {"center", "name", "display_name", "level",
                                                                      "figures", "children"}
    assert _resolved(figures["properties"]["children"]["items"]) == figures  # the subtree, the same shape
    counts = _resolved(figures["properties"]["figures"])
    assert set(counts["properties"]) == {"taken_in", "decided", "onsite", "onsite_rate", "referred",
                                         "referred_late", "proxied"}
    assert counts["properties"]["onsite_rate"]["nullable"] is True
    proxy = schema.raw_schema["paths"]["/api/proxy-applications/"]["post"]
    created = _answer("/api/proxy-applications/", "post", "201")
    assert {"id", "number", "channel", "intake_center", "proxy", "status"} <= set(created["properties"])
    assert {"officer", "for", "point", "consent", "free_of_charge"} <= set(
        _resolved(created["properties"]["proxy"].get("allOf", [created["properties"]["proxy"]])[0])["properties"])
    body = _resolved(proxy["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["required"]) == {"service", "applicant", "proxy_consent"}


@pytest.mark.postgres
def test_a_proxy_officers_application_and_a_supervisors_figures_conform(world, token_of):
    """The answers the personas above never reach (only a proxy officer applies by proxy, only a
    supervisor reads figures), checked against the schema like every generated case."""
    from tests.conftest import APPLICANT

    consent = "2026-09-28 村民陈民当面签字委托代办"
    created = schema["/api/proxy-applications/"]["POST"].Case(
        body={"service": "MKT-001", "applicant": APPLICANT, "proxy_consent": consent},
        media_type="application/json").call_and_validate(headers=token_of("proxy_village"), checks=CHECKS)
    assert created.status_code == 201
    assert created.json()["proxy"]["officer"] == "proxy_village"
    answer = schema["/api/centers/{code}/figures/"]["GET"].Case(path_parameters={"code": "CITY"}).call_and_validate(
        headers=token_of("supervisor"), checks=CHECKS)
    city = answer.json()
    assert answer.status_code == 200 and city["children"] and city["figures"]["proxied"] >= 1
