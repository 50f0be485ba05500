from django.urls import path

from calls.views import applicant, exports, manage, public, reviewer

app_name = "calls"

urlpatterns = [
    path("", public.CallListView.as_view(), name="list"),
    path("applications/", applicant.MyApplicationsView.as_view(), name="my_applications"),
    path("applications/<int:pk>/", applicant.ApplicationView.as_view(), name="application"),
    path("applications/<int:pk>/submit/", applicant.SubmitView.as_view(), name="application_submit"),
    path("applications/<int:pk>/withdraw/", applicant.WithdrawView.as_view(), name="application_withdraw"),
    path("applications/<int:pk>/attachments/", applicant.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        applicant.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        applicant.AttachmentRemoveView.as_view(),
        name="attachment_remove",
    ),
    path("reviews/", reviewer.MyAssignmentsView.as_view(), name="my_reviews"),
    path("reviews/<int:pk>/", reviewer.AssignmentView.as_view(), name="assignment"),
    path("pole/<str:code>/", manage.PoleCallsView.as_view(), name="pole"),
    path("pole/<str:code>/new/", manage.CallCreateView.as_view(), name="create"),
    path("<str:reference>/", public.CallDetailView.as_view(), name="detail"),
    path("<str:reference>/apply/", applicant.ApplyView.as_view(), name="apply"),
    path("<str:reference>/manage/", manage.CallManageView.as_view(), name="manage"),
    path("<str:reference>/edit/", manage.CallEditView.as_view(), name="edit"),
    path("<str:reference>/publish/", manage.CallPublishView.as_view(), name="publish"),
    path("<str:reference>/archive/", manage.CallArchiveView.as_view(), name="archive"),
    path("<str:reference>/screen/<int:pk>/", manage.ScreenView.as_view(), name="screen"),
    path("<str:reference>/reviewers/", manage.ReviewersView.as_view(), name="reviewers"),
    path("<str:reference>/ranking/", manage.RankingView.as_view(), name="ranking"),
    path("<str:reference>/decide/<int:pk>/", manage.DecideView.as_view(), name="decide"),
    path(
        "<str:reference>/decisions/publish/", manage.PublishDecisionsView.as_view(), name="publish_decisions"
    ),
    path("<str:reference>/outbox/", manage.OutboxView.as_view(), name="outbox"),
    path("<str:reference>/outbox/<int:pk>/", manage.OutboxEditView.as_view(), name="outbox_edit"),
    path(
        "<str:reference>/export/<str:what>.<str:file_format>",
        exports.ExportView.as_view(),
        name="export",
    ),
]
