from django.urls import path

from projects.followup import views

app_name = "followup"

urlpatterns = [
    path("mine/", views.MyProjectsView.as_view(), name="mine"),
    path("pole/<str:code>/", views.PoleProjectsView.as_view(), name="pole"),
    path("pole/<str:code>/add/", views.ProjectCreateView.as_view(), name="project_add"),
    path("pole/<str:code>/outcomes/", views.PoleOutcomesView.as_view(), name="pole_outcomes"),
    path("<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("<int:pk>/status/", views.ProjectStatusView.as_view(), name="status"),
    path("<int:pk>/outcomes/", views.OutcomeCreateView.as_view(), name="outcome_add"),
    path("<int:pk>/reports/", views.ReportCreateView.as_view(), name="report_add"),
    path("<int:pk>/reports/schedule/", views.ReportScheduleView.as_view(), name="report_schedule"),
    path("outcomes/<int:pk>/remove/", views.OutcomeRemoveView.as_view(), name="outcome_remove"),
    path("reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/accept/", views.ReportAcceptView.as_view(), name="report_accept"),
]
