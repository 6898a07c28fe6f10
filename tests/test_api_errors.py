"""What any API client notices whatever the operation: JSON errors, rate limits, CORS,
and a schema that validates as OpenAPI 3."""

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from accounts.tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

HEALTH = "/api/health/"
LOGIN = "/api/users/login/"
ME = "/api/users/me/"
PROBE = pytest.mark.urls("tests.probe_api_urls")


def post(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def access_token(client, email="ana@example.com"):
    CustomerFactory(email=email)
    return post(client, LOGIN, {"email": email, "password": PASSWORD}).json()["access"]


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# Errors are JSON


def test_unknown_api_path_is_a_json_404(client):
    body = assert_json_error(client.get("/api/no-such-thing/"), 404)

    assert body == {"detail": "Not found."}


def test_a_method_an_operation_does_not_take_is_a_json_405(client):
    response = client.delete(ME)

    assert_json_error(response, 405)
    assert response["Allow"] == "GET"


def test_malformed_json_is_a_400(client):
    body = assert_json_error(post(client, LOGIN, "{not json"), 400)

    assert "errors" not in body


def test_wrong_types_are_400_with_field_errors(client):
    body = assert_json_error(post(client, LOGIN, {"email": 12, "password": ["x"]}), 400)

    assert set(body["errors"]) == {"email", "password"}


def test_a_body_that_is_not_an_object_is_a_400(client):
    assert_json_error(post(client, LOGIN, [1, 2, 3]), 400)


def test_a_huge_string_is_a_400_field_error(client):
    body = assert_json_error(post(client, LOGIN, {"email": "a" * 10_000, "password": "x"}), 400)

    assert list(body["errors"]) == ["email"]
    assert "at most 254 characters" in body["errors"]["email"][0]


def test_an_oversized_body_is_a_json_413(client, settings):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    assert_json_error(post(client, LOGIN, body), 413)


def test_the_site_keeps_its_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@PROBE
def test_a_domain_error_is_a_400_with_its_message(client):
    body = assert_json_error(client.post("/api/probe/rule/"), 400)

    assert body == {"detail": "Only providers have a business profile."}


@PROBE
def test_a_server_error_under_the_api_is_json_not_a_page():
    client = Client(raise_request_exception=False)

    body = assert_json_error(client.get("/api/probe/bug/"), 500)

    assert "a bug" not in body["detail"]


# Rate limits


def test_anonymous_callers_get_429_with_retry_after_past_the_limit(client, settings):
    settings.API_RATE_LIMIT_ANON = "2/h"
    client.get(HEALTH)
    client.get(HEALTH)

    response = client.get(HEALTH)

    assert_json_error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 3600


def test_the_anonymous_limit_is_per_ip(client, settings):
    settings.API_RATE_LIMIT_ANON = "1/h"
    client.get(HEALTH, REMOTE_ADDR="203.0.113.1")

    assert client.get(HEALTH, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.get(HEALTH, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_behind_a_trusted_proxy_clients_are_told_apart_by_x_forwarded_for(client, settings):
    settings.API_RATE_LIMIT_ANON = "1/h"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.get(HEALTH, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert client.get(HEALTH, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert client.get(HEALTH, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_callers_with_a_token_are_counted_per_user_with_their_own_limit(client, settings):
    settings.API_RATE_LIMIT_ANON = "2/h"
    settings.API_RATE_LIMIT_USER = "3/h"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {access_token(client)}"}  # anonymous request 1
    client.get(HEALTH)  # anonymous request 2

    assert client.get(HEALTH).status_code == 429  # this IP is spent
    statuses = [client.get(ME, **auth).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert client.get(HEALTH, **auth).status_code == 429  # public operations count too
    assert "Retry-After" in client.get(ME, **auth)


@PROBE
def test_one_operation_can_have_a_tighter_limit(client, settings):
    settings.API_RATE_LIMIT_BOOKING_CREATE = "2/h"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {access_token(client)}"}

    statuses = [client.post("/api/probe/bookings/", **auth).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert int(client.post("/api/probe/bookings/", **auth)["Retry-After"]) >= 1
    assert client.get(ME, **auth).status_code == 200


@PROBE
def test_an_account_named_in_the_exempt_setting_is_never_limited(client, settings):
    settings.API_RATE_LIMIT_USER = "2/h"
    settings.API_RATE_LIMIT_BOOKING_CREATE = "1/h"
    settings.API_RATE_LIMIT_EXEMPT_EMAILS = ["Bench-Client@Example.com"]
    exempt = {"HTTP_AUTHORIZATION": f"Bearer {access_token(client, 'bench-client@example.com')}"}

    statuses = [client.get(ME, **exempt).status_code for _ in range(4)]
    booked = [client.post("/api/probe/bookings/", **exempt).status_code for _ in range(3)]

    assert statuses == [200, 200, 200, 200]
    assert booked == [200, 200, 200]


@PROBE
def test_everyone_else_keeps_their_limits_when_an_account_is_exempt(client, settings):
    settings.API_RATE_LIMIT_ANON = "1/h"
    settings.API_RATE_LIMIT_USER = "3/h"
    settings.API_RATE_LIMIT_BOOKING_CREATE = "1/h"
    settings.API_RATE_LIMIT_EXEMPT_EMAILS = ["bench-client@example.com"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {access_token(client)}"}  # the IP's one request

    assert client.get(HEALTH).status_code == 429
    assert client.post("/api/probe/bookings/", **other).status_code == 200
    assert client.post("/api/probe/bookings/", **other).status_code == 429
    assert client.get(ME, **other).status_code == 200
    assert client.get(ME, **other).status_code == 429


# CORS


def test_cors_answers_only_a_configured_origin(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    allowed = client.get(HEALTH, HTTP_ORIGIN="https://app.example.com")
    other = client.get(HEALTH, HTTP_ORIGIN="https://evil.example.net")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Access-Control-Allow-Origin" not in other


def test_cors_preflight_allows_the_authorization_header(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.options(
        ME,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response.status_code == 200
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_cors_is_limited_to_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.get("/healthz", HTTP_ORIGIN="https://app.example.com")

    assert "Access-Control-Allow-Origin" not in response


def test_cors_is_off_by_default(client):
    response = client.get(HEALTH, HTTP_ORIGIN="https://app.example.com")

    assert "Access-Control-Allow-Origin" not in response


# OpenAPI


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def test_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_operation_has_a_summary_tags_and_examples(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert operation.get("tags"), where
            body = operation.get("requestBody")
            if body:
                assert resolve(schema, body["content"]["application/json"]["schema"]).get(
                    "examples"
                ), where
            for status, answer in operation["responses"].items():
                if status == "204":  # No Content: no body, so nothing to show an example of
                    assert "content" not in answer, f"{where} {status}"
                    continue
                content = answer.get("content", {}).get("application/json")
                assert content, f"{where} {status}"
                assert resolve(schema, content["schema"]).get("examples"), f"{where} {status}"


def test_protected_operations_document_bearer_auth(schema):
    schemes = schema["components"]["securitySchemes"]

    assert {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"} in schemes.values()
    assert schema["paths"][ME]["get"]["security"]


def test_swagger_ui_works_offline(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/" in page
    assert "cdn" not in page.lower()
    assert json.loads(client.get("/api/schema/").content)["info"]["title"] == "Marketplace API"
