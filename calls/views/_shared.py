"""What the call pages share: the object from the URL (404 outside the user's scope), permission checks
(403 on a visible object), and turning a service's error into the page's field errors (400)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from calls import selectors
from calls.models import Application, Call


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def call_visible(user, reference: str) -> Call:
    """A call the user may see (published, or their pole's draft): else 404."""
    return get_object_or_404(selectors.calls_visible_to(user=user), reference=reference)


def call_followed(user, reference: str) -> Call:
    """A call whose management pages the user may open (its pole's staff, INCa): else 404."""
    call = call_visible(user, reference)
    if not user.has_perm("calls.follow_call", call):
        raise Http404
    return call


def application_visible(user, pk: int) -> Application:
    """An application the user may see (their own; their pole's submitted ones; assigned and cleared)."""
    try:
        return selectors.application_detail(pk=pk, user=user)
    except Application.DoesNotExist:
        raise Http404 from None
