"""The OpenAPI document is valid OpenAPI 3.1, and the running app answers as it says: every
path and method is called, and each answer's body (successes and each documented error) is
validated against the schema of its status code."""

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.api.conftest import bearer, key_for

SCHEMA_URL = "/api/v1/schema/"


@pytest.fixture
def spec(client, db):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


def _operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _resolve(spec, item):
    while "$ref" in item:
        node = spec
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def _url(spec, path, operation, **overrides) -> str:
    """The path with its parameters' examples, and the required query parameters."""
    query = {}
    for reference in operation["parameters"]:
        parameter = _resolve(spec, reference)
        value = overrides.get(parameter["name"], parameter.get("example"))
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter.get("required"):
            query[parameter["name"]] = value
    text = "&".join(f"{name}={value}" for name, value in query.items())
    return "/api/v1" + path + (f"?{text}" if text else "")


def conforms(spec, path, method, response) -> None:
    operation = spec["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (path, method, status, response.content[:300])
    documented = _resolve(spec, operation["responses"][status])
    schema = documented["content"]["application/json"]["schema"]
    validator = jsonschema.Draft202012Validator(
        {**schema, "components": spec["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(response.json())
    if status == "429":
        assert int(response["Retry-After"]) >= 1


def test_the_schema_is_valid_openapi_3_1(spec):
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Khóa API của người dùng.",
    }


def test_every_endpoint_is_documented(spec):
    assert set(spec["paths"]) == {
        "/summary/",
        "/schemes/",
        "/schemes/{code}/{year}/",
        "/aggregates/",
        "/schema/",
    }


def test_every_operation_answers_as_documented(client, world, ministry_key, spec):
    for path, method, operation in _operations(spec):
        response = getattr(client, method)(_url(spec, path, operation), **bearer(ministry_key))
        assert response.status_code == 200, (path, response.content[:300])
        conforms(spec, path, method, response)


def test_answers_with_every_optional_parameter_conform(client, world, ministry_key, spec):
    checks = [
        (
            "/schemes/",
            "/api/v1/schemes/?year=2019&page_size=1&page=2&status=approved&kind=targeted",
        ),
        ("/schemes/", "/api/v1/schemes/?year=2030"),
        ("/aggregates/", "/api/v1/aggregates/?year=2019&by=province&map=34"),
        ("/aggregates/", "/api/v1/aggregates/?year=2024&region=centre"),
        ("/summary/", "/api/v1/summary/?year=2019&province=19&map=34&as_of=30/06/2019"),
        ("/summary/", "/api/v1/summary/?year=2024&fund=national"),
    ]
    for path, url in checks:
        response = client.get(url, **bearer(ministry_key))
        assert response.status_code == 200, url
        conforms(spec, path, "get", response)


def test_every_documented_error_answers_as_documented(client, world, ministry, spec, settings):
    key = key_for(ministry)
    seen = set()
    for path, method, operation in _operations(spec):
        url = _url(spec, path, operation)
        for status in operation["responses"]:
            if status == "200":
                continue
            headers = bearer(key)
            request_url, call = url, getattr(client, method)
            settings.KC_API_RATE = "100000/minute"
            if status == "400":
                request_url = url + ("&" if "?" in url else "?") + "unknown=1"
            elif status == "401":
                headers = bearer("kc_wrong")
            elif status == "403":
                ministry.is_active = False
                ministry.save()
            elif status == "404":
                if "{code}" in path:
                    request_url = _url(spec, path, operation, code="KHONG-CO")
                else:
                    request_url = url + "&page=99"
            elif status == "405":
                call = client.post
            elif status == "429":
                settings.KC_API_RATE = "0/hour"
            response = call(request_url, **headers)
            ministry.is_active = True
            ministry.save()
            assert response.status_code == int(status), (path, status, response.content[:300])
            conforms(spec, path, method, response)
            seen.add(status)
    assert seen == {"400", "401", "403", "404", "405", "429"}


def test_the_docs_page_shows_every_endpoint_without_outside_scripts(client, db, spec):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.text
    for path in spec["paths"]:
        assert path in page
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "<script" not in page
    assert "Authorization: Bearer" in page
