"""The OpenAPI schema is valid and generates without a warning (a warning is a guessed type)."""

from django.core.management import call_command


def test_openapi_schema_is_valid_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    for path in ("/api/org-units/", "/api/people/", "/api/nominations/{id}/confirm/"):
        assert path in schema
