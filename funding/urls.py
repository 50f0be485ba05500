from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("grants/", views.GrantsView.as_view(), name="grants"),
    path("grants/360giving.json", views.grants_json, name="grants_json"),
    path("grants/360giving.csv", views.grants_csv, name="grants_csv"),
    path("commitments/<int:pk>/cancel/", views.CommitmentCancelView.as_view(), name="commitment_cancel"),
    path("commitments/<int:pk>/payments/", views.DisbursementCreateView.as_view(), name="disbursement_add"),
    path("payments/<int:pk>/pay/", views.DisbursementPayView.as_view(), name="disbursement_pay"),
    path("payments/<int:pk>/cancel/", views.DisbursementCancelView.as_view(), name="disbursement_cancel"),
    path("<str:code>/", views.BudgetCurrentView.as_view(), name="pole"),
    path("<str:code>/<int:year>/", views.BudgetView.as_view(), name="budget"),
    path("<str:code>/<int:year>/funders/", views.FunderCreateView.as_view(), name="funder_add"),
    path("<str:code>/<int:year>/allocations/", views.AllocationCreateView.as_view(), name="allocation_add"),
    path("<str:code>/<int:year>/commitments/", views.CommitmentCreateView.as_view(), name="commitment_add"),
]
