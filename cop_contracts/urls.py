from django.urls import path

from cop_contracts import views

app_name = "cop_contracts"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("review/bulk/", views.BulkReviewView.as_view(), name="review_bulk"),
    path("review/<int:pk>/", views.ReviewQueueView.as_view(), name="review_decide"),
    path("mine/", views.MyReportingView.as_view(), name="mine"),
    path("<str:code>/", views.PoleCurrentContractView.as_view(page="grid"), name="pole"),
    path("<str:code>/figures/", views.PoleFiguresView.as_view(), name="pole_figures"),
    path(
        "<str:code>/approval/",
        views.PoleCurrentContractView.as_view(page="approval"),
        name="pole_approval",
    ),
    path("<str:code>/<int:first_year>/", views.ContractGridView.as_view(), name="grid"),
    path(
        "<str:code>/<int:first_year>/values/<str:indicator_code>/<int:year>/",
        views.ValueCellView.as_view(),
        name="cell",
    ),
    path(
        "<str:code>/<int:first_year>/submit/<int:year>/", views.SubmitYearView.as_view(), name="submit_year"
    ),
    path("<str:code>/<int:first_year>/approval/", views.ApprovalView.as_view(), name="approval"),
    path(
        "<str:code>/<int:first_year>/approval/<int:pk>/", views.ApprovalView.as_view(), name="approval_decide"
    ),
]
