from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts import selectors
from common.navigation import SpaceLink, space_cards_for, space_links_for


class MySpaceView(LoginRequiredMixin, TemplateView):
    """The signed-in user's home: what each of their roles lets them do, with the links each app declares
    for that role (common.navigation)."""

    template_name = "accounts/my_space.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        memberships = list(selectors.memberships_of(user=user))
        context["memberships"] = [
            (membership, space_links_for(user, SpaceLink.POLE, pole=membership.canceropole))
            for membership in memberships
        ]
        context["inca_links"] = space_links_for(user, SpaceLink.INCA) if user.is_inca_staff else []
        context["researcher_links"] = space_links_for(user, SpaceLink.RESEARCHER)
        context["reviewer_links"] = space_links_for(user, SpaceLink.REVIEWER)
        context["cards"] = space_cards_for(user)
        return context
