from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from canceropoles import selectors
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
    template_name = "canceropoles/detail.html"
    context_object_name = "canceropole"

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.canceropoles_with_regions(viewer=self.request.user), code=self.kwargs["code"].upper()
        )
