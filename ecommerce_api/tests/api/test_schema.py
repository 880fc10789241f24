import re

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/auth/token/",
        "/api/auth/register/",
        "/api/auth/password-reset/",
        "/api/auth/password-reset/confirm/",
        "/api/me/",
        "/api/alerts/",
        "/api/alerts/{id}/",
        "/api/products/{product_id}/alerts/",
        "/api/orders/",
        "/api/orders/{id}/",
        "/api/orders/{id}/cancel/",
        "/api/orders/preview/",
        "/api/cart/",
        "/api/cart/items/",
        "/api/cart/items/{product_id}/",
        "/api/categories/",
        "/api/products/",
        "/api/products/{id}/",
    }


def test_the_schema_is_served_as_yaml_by_default(api_client):
    response = api_client.get(reverse("schema"))

    assert yaml.safe_load(response.content)["info"]["title"] == "Shop API"


def test_placing_an_order_documents_its_body_errors_and_auth(schema):
    operation = schema["paths"]["/api/orders/"]["post"]

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PlaceOrderRequest"}
    assert set(operation["responses"]) == {
        "201",
        *("400", "401", "409", "413", "415", "422", "429", "503"),
    }
    assert operation["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    assert operation["responses"]["201"]["headers"]["Location"]["required"] is True
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "Retry-After" in operation["responses"]["503"]["headers"]
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])


def test_the_idempotency_key_says_how_long_it_replays(schema):
    parameters = schema["paths"]["/api/orders/"]["post"]["parameters"]

    (key,) = [p for p in parameters if p["name"] == "Idempotency-Key"]
    assert "replay for 24 hours after the order was placed" in key["description"]


def test_the_stock_error_shape_is_documented_for_400_and_409(schema):
    responses = schema["paths"]["/api/orders/"]["post"]["responses"]
    components = schema["components"]["schemas"]

    invalid = responses["400"]["content"]["application/json"]["schema"]["$ref"]
    conflict = responses["409"]["content"]["application/json"]["schema"]["$ref"]
    assert invalid == "#/components/schemas/OrderValidationError"
    assert conflict == "#/components/schemas/OrderConflict"
    assert set(components["OrderValidationError"]["properties"]) == {
        "code",
        "detail",
        "errors",
        "shortages",
    }
    assert set(components["OrderConflict"]["properties"]) == {"code", "detail", "shortages"}
    shortage = components["Shortage"]
    assert set(shortage["required"]) == {"product", "requested", "available"}
    assert {field["type"] for field in shortage["properties"].values()} == {"integer"}


def test_token_auth_is_documented(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
    assert "security" not in schema["paths"]["/api/auth/token/"]["post"]


EXTERNAL_URL = re.compile(r"(?:https?:)?//[a-z0-9.-]*\.[a-z]{2,}", re.IGNORECASE)


def test_swagger_ui_is_served_without_a_cdn(api_client):
    response = api_client.get(reverse("swagger-ui"))
    script = api_client.get(reverse("swagger-ui"), {"script": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    for text in (page, script.content.decode()):
        # A URL to another host, absolute or scheme-relative (not a bare "cdn": the script
        # carries a random CSRF token, which can spell it).
        assert not EXTERNAL_URL.search(text), EXTERNAL_URL.search(text)
        assert "https://" not in text
    assert '"validatorUrl": null' in script.content.decode()  # no badge from validator.swagger.io


def test_swagger_uis_start_up_script_is_a_file_of_its_own(api_client):
    """No inline script or style: the page runs under the Content-Security-Policy."""
    page = api_client.get(reverse("swagger-ui")).content.decode()
    script = api_client.get(reverse("swagger-ui"), {"script": ""})

    assert '<script src="/api/docs/?script="></script>' in page
    assert "<script>" not in page
    assert "<style" not in page
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle({" in script.content.decode()


@pytest.mark.parametrize("method", ["options", "put", "delete"])
def test_swagger_ui_answers_other_methods_with_405_naming_get_and_head(api_client, method):
    """DRF's OPTIONS metadata has no template in the page's only renderer: it was a 500."""
    response = getattr(api_client, method)(reverse("swagger-ui"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert api_client.head(reverse("swagger-ui")).status_code == 200


def test_swagger_ui_assets_are_served_locally(client):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    body = b"".join(response.streaming_content)
    response.close()

    assert response.status_code == 200
    assert b"SwaggerUIBundle" in body


def test_the_root_url_leads_to_the_docs(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("swagger-ui")


def test_the_browsable_api_carries_the_shops_name_and_links_home(api_client):
    response = api_client.get("/api/products/", HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert re.search(r"<title>\s*Product List \| Shop API\s*</title>", page)
    assert '<a class="navbar-brand" href="/api/">Shop API</a>' in page
    assert "django-rest-framework.org" not in page


def test_the_api_root_lists_the_resources(api_client):
    response = api_client.get("/api/")

    assert response.status_code == 200
    assert set(response.json()) == {"categories", "products", "orders", "alerts"}


def test_every_request_body_is_documented_as_json_only(schema):
    """Generated clients get one body type per operation (three made openapi-python-client
    emit a broken type for the token endpoint); the browsable API may still post forms."""
    bodies = {
        (path, method): set(operation["requestBody"]["content"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }

    assert ("/api/auth/token/", "post") in bodies
    assert ("/api/cart/items/", "post") in bodies
    assert set(map(frozenset, bodies.values())) == {frozenset({"application/json"})}
