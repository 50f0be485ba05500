from django.urls import path

from projects.mobility import views

app_name = "mobility"

urlpatterns = [
    path("", views.MobilityIndexView.as_view(), name="index"),
    path("sessions/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("<int:pk>/", views.GrantView.as_view(), name="grant"),
    path("<int:pk>/<str:step>/", views.GrantStepView.as_view(), name="step"),
    path("pole/<str:code>/", views.PoleGrantsView.as_view(), name="pole"),
    path("pole/<str:code>/sessions/", views.SessionCreateView.as_view(), name="session_add"),
]
