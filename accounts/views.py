from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts import selectors


class MySpaceView(LoginRequiredMixin, TemplateView):
    """The signed-in user's home: what each of their roles lets them do."""

    template_name = "accounts/my_space.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.memberships_of(user=self.request.user)
        return context
