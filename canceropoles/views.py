from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from canceropoles import selectors
from common.navigation import SpaceLink, space_links_for
from common.text import folded


class HomeView(TemplateView):
    """Public home: the 7 cancéropôles with the regions they cover."""

    template_name = "canceropoles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["canceropoles"] = sorted(
            selectors.canceropoles_with_regions(viewer=self.request.user), key=lambda pole: folded(pole.name)
        )
        return context


class CanceropoleDetailView(DetailView):
    """A pole's page: its facts, the regions it covers, a link to its published figures, and the links
    the apps declare for a pole's staff (its COP for its staff and INCa), each gated by its rule."""

    template_name = "canceropoles/detail.html"
    context_object_name = "canceropole"

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.canceropoles_with_regions(viewer=self.request.user), code=self.kwargs["code"].upper()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pole_links"] = space_links_for(self.request.user, SpaceLink.POLE, pole=self.object)
        return context
