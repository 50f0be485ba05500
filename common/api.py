"""REST glue shared by every app: pagination and one JSON shape for every error.

Errors follow RFC 9457 (problem details) with the invalid fields under ``errors``::

    {"type": "about:blank", "title": "Invalid input.", "status": 400,
     "detail": "…", "errors": {"orcid": ["…"]}}
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.throttling import InvalidCredentials  # noqa: F401  (re-exported: the API's 401)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {
            field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for field, msgs in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def problem_exception_handler(exc, context):
    """DRF's handler, then reshaped as problem details; a service's ValidationError becomes a 400."""
    # Django's own 404 and 403 (get_object_or_404, a rule denying access) become DRF's, so that the
    # body carries their title ("Not found.") rather than a generic one.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    errors = _field_errors(detail) if isinstance(exc, exceptions.ValidationError) else {}
    if isinstance(exc, exceptions.ValidationError):
        title = str(exceptions.ValidationError.default_detail)
        first = next(iter(errors.items()), None)
        message = f"{first[0]}: {first[1][0]}" if first and first[1] else title
    else:
        title = str(getattr(exc, "default_detail", "Error"))
        message = str(detail) if detail is not None else title
    body = {
        "type": "about:blank",
        "title": title,
        "status": response.status_code,
        "detail": message,
        "errors": errors,
    }
    response.data = body
    response.content_type = "application/problem+json"
    if getattr(exc, "www_authenticate", None):
        response.headers["WWW-Authenticate"] = exc.www_authenticate
    return response


def problem_response(*, status_code: int, title: str, detail: str) -> Response:
    return Response(
        {"type": "about:blank", "title": title, "status": status_code, "detail": detail, "errors": {}},
        status=status_code,
    )


__all__ = ["Pagination", "problem_exception_handler", "problem_response", "status"]
