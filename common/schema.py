"""The OpenAPI description of what every operation can answer besides its success.

``PortalAutoSchema`` (drf-spectacular's AutoSchema) adds to each operation the problem-details answers
it can give (``ProblemSerializer``, ``application/problem+json``, with an example each):

- 400: a filter, a cursor or a body the operation refuses, the field named under ``errors``;
- 401: an unknown, revoked or expired partner key (any operation may be called with one);
- 403: a write the caller may not make (a visitor, a partner key, another pole's staff), or any call
  of an operation that needs an account;
- 404: an object outside the caller's scope or absent (operations on an id, and writes naming one);
- 415: a body in a media type the operation does not read;
- 429: too many requests, with ``Retry-After``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

PROBLEM_MEDIA_TYPE = "application/problem+json"


@extend_schema_serializer(component_name="Problem")
class ProblemSerializer(serializers.Serializer):
    """An error answer (RFC 9457 problem details), with the invalid fields under ``errors``."""

    type = serializers.CharField(help_text='Always "about:blank": the status says what kind of error.')
    title = serializers.CharField(help_text="Short summary of the kind of error.")
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    detail = serializers.CharField(
        help_text="What went wrong, for a person; the first invalid field on a 400."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (non_field_errors for the whole input); empty unless 400.",
    )


def _problem(status: int, title: str, detail: str, errors: dict | None = None) -> dict:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, "errors": errors or {}}


PROBLEMS = {
    400: (
        "Invalid input: a filter, the cursor or a field of the body, named under errors.",
        _problem(
            400,
            "Invalid input.",
            "year: Select a valid choice. 1999 is not one of the available choices.",
            {"year": ["Select a valid choice. 1999 is not one of the available choices."]},
        ),
    ),
    401: (
        "The partner key sent is unknown, revoked or expired.",
        _problem(401, "Incorrect authentication credentials.", "This API key has been revoked."),
    ),
    403: (
        "The caller may not make this write (partner keys only read).",
        _problem(
            403, "You do not have permission to perform this action.", "Partner API keys are read-only."
        ),
    ),
    404: (
        "No such object within what the caller may see.",
        _problem(404, "Not found.", "No IndicatorValue matches the given query."),
    ),
    415: (
        "The body is in a media type the operation does not read (send application/json).",
        _problem(415, "Unsupported media type.", 'Unsupported media type "text/plain" in request.'),
    ),
    429: (
        "Too many requests: retry after the number of seconds in Retry-After.",
        _problem(429, "Request was throttled.", "Request was throttled. Expected available in 42 seconds."),
    ),
}
HEADERS = {
    401: {
        "WWW-Authenticate": {
            "schema": {"type": "string", "example": "Api-Key"},
            "description": "The scheme to authenticate with.",
        }
    },
    429: {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "description": "Seconds to wait before the next request.",
        }
    },
}


class PortalAutoSchema(AutoSchema):
    def _error_statuses(self) -> list[int]:
        statuses = [400, 401]
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        # A view that needs an account refuses a visitor or a partner key even a read.
        signed_in_only = any(
            isinstance(permission, type) and issubclass(permission, IsAuthenticated)
            for permission in getattr(self.view, "permission_classes", [])
        )
        if writes or signed_in_only:
            statuses.append(403)
        if "{" in self.path or writes:
            statuses.append(404)
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(415)
        statuses.append(429)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if code.startswith("2") and not response.get("description"):
                response["description"] = "A page of the list." if self._is_list_view() else "Success."
        for status in self._error_statuses():
            if str(status) in responses:
                continue
            description, example = PROBLEMS[status]
            response = self._get_response_for_code(
                OpenApiResponse(
                    response=ProblemSerializer,
                    description=description,
                    examples=[OpenApiExample(f"{status}", value=example)],
                ),
                str(status),
                media_types=[PROBLEM_MEDIA_TYPE],
                direction=direction,
            )
            if status in HEADERS:
                response["headers"] = {**response.get("headers", {}), **HEADERS[status]}
            responses[str(status)] = response
        return responses


__all__ = ["OpenApiTypes", "PortalAutoSchema", "ProblemSerializer"]
