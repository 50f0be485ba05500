"""REST glue shared by every app: pagination, ``modified_since``, and one JSON shape for every error.

Lists are paged with a cursor (keyset on the list's ordering, an indexed and unique or nearly unique
column): a page costs the same at the millionth row as at the first, and no page counts the rows.
``{"next": url or null, "previous": url or null, "results": [...]}``; follow ``next`` to the end.

Errors follow RFC 9457 (problem details) with the invalid fields under ``errors``::

    {"type": "about:blank", "title": "Invalid input.", "status": 400,
     "detail": "…", "errors": {"orcid": ["…"]}}
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.fields import IsoDateTimeField
from rest_framework import exceptions, status
from rest_framework.fields import SerializerMethodField
from rest_framework.pagination import CursorPagination
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.throttling import InvalidCredentials  # noqa: F401  (re-exported: the API's 401)


class Pagination(CursorPagination):
    """Cursor pages of ``page_size`` rows (50 by default, 500 at most), in the view's ``ordering``.

    The view's ``ordering`` (or the ``?ordering=`` a client picks among ``ordering_fields``) must be a
    column with an index whose values are unique or nearly so (ties are skipped by an offset, which
    DRF caps at 1,000).
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"
    invalid_cursor_message = "Invalid cursor: use the next or previous link of a page as it is."

    def paginate_queryset(self, queryset, request, view=None):
        # A well-formed cursor whose position does not fit the ordering column (p=abc for an id).
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None

    def decode_cursor(self, request):
        # A cursor the portal did not make is bad input (400 naming the parameter), not a missing page.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None


def _representation_step(name, field):
    """(name, attribute path, method field's method name or None, conversion) of one readable field."""
    # A primary key of a foreign key is read from its column (``contract_id``), as DRF does, never by
    # loading the related row.
    if (
        isinstance(field, PrimaryKeyRelatedField)
        and len(field.source_attrs) == 1
        and field.use_pk_only_optimization()
    ):
        return name, [f"{field.source_attrs[0]}_id"], None, _same
    if isinstance(field, SerializerMethodField):
        return name, [], field.method_name, None
    return name, field.source_attrs, None, field.to_representation


def _same(value):
    return value


class FastRepresentationMixin:
    """Rows of a read serializer built without DRF's per-field machinery: the same output in a fraction
    of the time, which matters on pages of 500 rows read by partners.

    The fields are built once per serializer class (they depend on nothing of the request here): for each
    readable field, its attribute path and its ``to_representation``. A row then follows the path
    (``None`` as soon as a step is ``None``) and converts the value; a method field calls the method of
    the serializer at hand. A serializer whose fields depend on the request must not use this mixin.
    """

    _representation_plans: dict = {}

    def _representation_plan(self) -> list:
        plan = FastRepresentationMixin._representation_plans.get(type(self))
        if plan is None:
            plan = [
                _representation_step(name, field)
                for name, field in self.fields.items()
                if not field.write_only
            ]
            FastRepresentationMixin._representation_plans[type(self)] = plan
        return plan

    def to_representation(self, instance):
        row = {}
        for name, path, method_name, represent in self._representation_plan():
            if method_name is not None:
                row[name] = getattr(self, method_name)(instance)
                continue
            value = instance
            for attribute in path:
                value = getattr(value, attribute)
                if value is None:
                    break
            row[name] = None if value is None else represent(value)
        return row


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, brought to UTC here: the database refuses offsets beyond ±15:59, and a moment
    that falls outside the years 1-9999 once in UTC is no moment at all."""

    default_error_messages = {"invalid": "Enter an ISO 8601 date and time, e.g. 2026-01-31T00:00:00Z."}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that never sends the database a moment it refuses (a 400 instead)."""

    field_class = UtcDateTimeField


class ModifiedSinceFilterSet(django_filters.FilterSet):
    """Every list's ``?modified_since=`` (ISO 8601): rows created or changed at or after that moment."""

    modified_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only rows created or changed at or after this moment (ISO 8601, e.g. 2026-01-31T00:00:00Z)",
    )


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
        if "{" in title:  # a template of DRF's (Unsupported media type "{media_type}"…): the filled one
            title = message
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


__all__ = [
    "ModifiedSinceFilterSet",
    "Pagination",
    "UtcDateTimeFilter",
    "problem_exception_handler",
    "problem_response",
    "status",
]
