"""The API documentation page (/api/docs/): the OpenAPI document rendered on the server.

No JavaScript and no third-party page: it works offline, under a strict Content Security Policy, and is
built from the portal's own accessible templates (landmarks, headings in order, tables with captions).
The machine-readable document stays at /api/schema/ (YAML, or JSON with ``?format=json``).
"""

from functools import lru_cache

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=4)
def _document(language: str) -> dict:
    # The document mentions translated labels (filters, choices): one per language, built once.
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref_name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def type_html(schema: dict) -> str:
    """A schema's type for a person: a link to a component, ``array of …``, a format, the allowed values."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return format_html('<a href="#schema-{}">{}</a>', name, name)
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            parts = [type_html(part) for part in schema[combinator] if part]
            return format_html_join(" or ", "{}", ((part,) for part in parts))
    kind = schema.get("type", "object")
    if kind == "array":
        return format_html("array of {}", type_html(schema.get("items", {})))
    if "enum" in schema:
        values = ", ".join(str(value) for value in schema["enum"] if value not in (None, ""))
        return format_html("{} (one of: {})", kind, values)
    if "format" in schema:
        return format_html("{} ({})", kind, schema["format"])
    if kind == "object" and "additionalProperties" in schema:
        return format_html("object of {}", type_html(schema["additionalProperties"]))
    return format_html("{}", kind)


def _operation(path: str, method: str, operation: dict) -> dict:
    request = operation.get("requestBody", {}).get("content", {})
    return {
        "anchor": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": [
            {
                "name": parameter["name"],
                "location": parameter["in"],
                "required": parameter.get("required", False),
                "type": type_html(parameter.get("schema", {})),
                "description": parameter.get("description", ""),
            }
            for parameter in operation.get("parameters", [])
        ],
        "request": [
            {"media_type": media_type, "type": type_html(content.get("schema", {}))}
            for media_type, content in request.items()
        ],
        "responses": [
            {
                "status": status,
                "description": response.get("description", ""),
                "content": [
                    {"media_type": media_type, "type": type_html(content.get("schema", {}))}
                    for media_type, content in response.get("content", {}).items()
                ],
            }
            for status, response in sorted(operation.get("responses", {}).items())
        ],
    }


def _schema(name: str, schema: dict) -> dict:
    required = set(schema.get("required", []))
    return {
        "name": name,
        "description": schema.get("description", ""),
        "type": type_html({key: value for key, value in schema.items() if key != "properties"})
        if "properties" not in schema
        else "",
        "properties": [
            {
                "name": property_name,
                "type": type_html(definition),
                "required": property_name in required,
                "nullable": definition.get("nullable", False),
                "read_only": definition.get("readOnly", False),
                "description": definition.get("description", ""),
            }
            for property_name, definition in schema.get("properties", {}).items()
        ],
    }


def documentation() -> dict:
    """The page's content: operations grouped by tag, then the schemas, from the OpenAPI document."""
    document = _document(translation.get_language() or "")
    tags: dict[str, list] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["api"])[0]
                tags.setdefault(tag, []).append(_operation(path, method, operation))
    schemas = [_schema(name, schema) for name, schema in document["components"].get("schemas", {}).items()]
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "tags": sorted(tags.items()),
        "schemas": schemas,
    }


class ApiDocsView(TemplateView):
    template_name = "common/api_docs.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "api": documentation()}
