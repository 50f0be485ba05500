from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from calls.api import ApplicationViewSet, CallViewSet, DecisionViewSet, ReviewViewSet
from canceropoles.api import CanceropoleViewSet, OrganisationViewSet, RegionViewSet
from canceropoles.views import HomeView
from common.api_docs import ApiDocsView
from common.views import healthz
from cop_contracts.api import (
    CopContractViewSet,
    IndicatorDefinitionViewSet,
    IndicatorRollupViewSet,
    IndicatorValueViewSet,
    TargetViewSet,
)
from events.api import EventViewSet, RegistrationViewSet
from projects.api import ProjectViewSet

router = DefaultRouter()
router.register("canceropoles", CanceropoleViewSet, basename="canceropole")
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("indicators", IndicatorDefinitionViewSet, basename="indicator")
router.register("contracts", CopContractViewSet, basename="contract")
router.register("targets", TargetViewSet, basename="target")
router.register("values", IndicatorValueViewSet, basename="indicatorvalue")
router.register("rollups", IndicatorRollupViewSet, basename="rollup")
router.register("calls", CallViewSet, basename="call")
router.register("applications", ApplicationViewSet, basename="application")
router.register("reviews", ReviewViewSet, basename="review")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("projects", ProjectViewSet, basename="project")
router.register("events", EventViewSet, basename="event")
router.register("registrations", RegistrationViewSet, basename="registration")

api_patterns = [path("", include(router.urls))]


def nul_in_path(request, *args, **kwargs):
    """No page has a NUL byte in its address: the database refuses such text, so answer 404 before any view
    (or the admin's login redirect) looks the path up."""
    raise Http404


urlpatterns = [
    re_path(r"^.*\x00", nul_in_path),
    path("", HomeView.as_view(), name="home"),
    path("poles/", include("canceropoles.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("accounts.urls_allauth")),
    path("cop/", include("cop_contracts.urls")),
    path("calls/", include("calls.urls")),
    path("events/", include("events.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = "common.views.not_found"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
