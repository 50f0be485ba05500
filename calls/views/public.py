"""Public pages: the open calls, past calls and one call's page (with its published results)."""

from django.utils import timezone
from django.views.generic import TemplateView

from calls import selectors
from calls.forms import ApplyForm
from calls.views._shared import call_visible


class CallListView(TemplateView):
    """Open calls first, then the published ones that no longer take applications (paginated by year)."""

    template_name = "calls/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        open_calls = list(selectors.calls_open(now=now))
        open_ids = {call.pk for call in open_calls}
        context["open_calls"] = open_calls
        context["upcoming_calls"] = [
            c for c in selectors.calls_public().filter(opens_at__gt=now)[:50] if c.pk not in open_ids
        ]
        context["past_calls"] = [
            c for c in selectors.calls_public().filter(opens_at__lte=now)[:50] if c.pk not in open_ids
        ]
        return context


class CallDetailView(TemplateView):
    template_name = "calls/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        call = call_visible(user, self.kwargs["reference"])
        now = timezone.now()
        context["call"] = call
        context["criteria"] = list(call.criteria.all())
        context["is_open"] = call.is_public and call.opens_at <= now < (call.deadline)
        context["can_apply"] = context["is_open"] and user.has_perm("calls.apply", call)
        context["can_follow"] = user.has_perm("calls.follow_call", call)
        context["apply_form"] = ApplyForm()
        context["results"] = list(
            selectors.decisions_public()
            .filter(application__call=call, outcome="funded")
            .order_by("application__title")
        )
        return context
