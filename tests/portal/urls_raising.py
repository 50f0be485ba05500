"""The portal's URLs plus views that fail on purpose, to render the error pages."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def raises_server_error(request):
    raise RuntimeError("a view that fails")


def raises_permission_denied(request):
    raise PermissionDenied("internal reason that must not be shown")


def raises_bad_request(request):
    raise BadRequest("internal reason that must not be shown")


urlpatterns = [
    path("test-errors/500/", raises_server_error),
    path("test-errors/403/", raises_permission_denied),
    path("test-errors/400/", raises_bad_request),
    *portal_urlpatterns,
]
