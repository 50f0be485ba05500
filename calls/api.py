"""REST API of the calls: calls (public once published), applications (the applicant's own; the pole's
staff), review assignments and reviews (the reviewer's own; the pole's staff), decisions (public once
published).

Reads come from calls.selectors: an object outside the user's scope is absent (404). Writes check the
rule of calls.rules on the object (403 when visible but not the user's to act on), then call one
service; a service refusing (deadline passed, failing eligibility check, wrong state) answers 400
naming the field.
"""

import django_filters
from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from calls import selectors, services
from calls.models import (
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Attachment,
    BudgetCategory,
    Call,
    CallKind,
    CallStatus,
    Criterion,
    Decision,
    Outcome,
    Recommendation,
    ReviewAssignment,
    TeamMember,
)
from canceropoles.models import Canceropole, Organisation

# Serializers ----------------------------------------------------------------------------------------


def _code_field(choices) -> serializers.CharField:
    """A read-only choice as a plain string listing its values: several models have a ``kind`` or a
    ``status`` with different choices, and named enums of the same field name would collide in the schema."""
    return serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(value for value, _ in choices)
    )


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "name_fr", "name_en", "weight"]


class CallSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = _code_field(CallKind.choices)
    status = _code_field(CallStatus.choices)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "reference",
            "canceropole",
            "kind",
            "year",
            "title_fr",
            "title_en",
            "text_fr",
            "text_en",
            "opens_at",
            "deadline",
            "has_letter_of_intent",
            "full_deadline",
            "envelope",
            "max_amount",
            "max_duration_months",
            "budget_caps",
            "ineligible_categories",
            "scale_max",
            "outside_experts_required",
            "status",
            "published_at",
            "criteria",
        ]


class TeamMemberSerializer(serializers.ModelSerializer):
    lab = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = TeamMember
        fields = ["first_name", "last_name", "email", "role", "lab"]


class BudgetLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    description = serializers.CharField(max_length=250, required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class AttachmentSerializer(serializers.ModelSerializer):
    kind = _code_field(Attachment.Kind.choices)

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "size", "sha256", "uploaded_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="reference", queryset=Call.objects.all())
    code = serializers.CharField(read_only=True)
    applicant = serializers.CharField(source="applicant.get_full_name", read_only=True)
    lab = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    team = TeamMemberSerializer(many=True, required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    attachments = AttachmentSerializer(many=True, read_only=True)
    status = _code_field(ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = [
            "id",
            "code",
            "call",
            "stage",
            "applicant",
            "title",
            "acronym",
            "lab",
            "requested_amount",
            "duration_months",
            "abstract",
            "keywords",
            "team",
            "budget_lines",
            "attachments",
            "status",
            "submitted_at",
        ]
        read_only_fields = ["stage", "status", "submitted_at"]


class ApplicationUpdateSerializer(ApplicationSerializer):
    class Meta(ApplicationSerializer.Meta):
        read_only_fields = ["call", "stage", "status", "submitted_at"]


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(
        default=Attachment.Kind.PROPOSAL,
        help_text="One of: " + ", ".join(Attachment.Kind.values) + " (the service refuses any other).",
    )
    file = serializers.FileField()


class ReviewSerializer(serializers.Serializer):
    scores = serializers.SerializerMethodField()
    comment = serializers.CharField()
    recommendation = serializers.CharField()
    weighted_score = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(
        serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2))
    )
    def get_scores(self, review) -> dict:
        return {str(score.criterion_id): score.value for score in review.scores.all()}


class AssignmentSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    application_code = serializers.CharField(source="application.code", read_only=True)
    call = serializers.CharField(source="application.call.reference", read_only=True)
    reviewer = serializers.CharField(source="reviewer.get_full_name", read_only=True)
    review = serializers.SerializerMethodField()
    status = _code_field(AssignmentStatus.choices)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "application_code",
            "call",
            "reviewer",
            "status",
            "due_date",
            "coi_declared_at",
            "review",
        ]

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, assignment):
        review = getattr(assignment, "review", None)
        return ReviewSerializer(review).data if review is not None else None


class DeclarationSerializer(serializers.Serializer):
    conflict = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewWriteSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="{criterion id: score}", required=False
    )
    comment = serializers.CharField(required=False, allow_blank=True)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False, allow_blank=True)
    submit = serializers.BooleanField(default=False)


class DecisionSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    application_code = serializers.CharField(source="application.code", read_only=True)
    title = serializers.CharField(source="application.title", read_only=True)
    call = serializers.CharField(source="application.call.reference", read_only=True)
    canceropole = serializers.CharField(source="application.call.canceropole.code", read_only=True)
    lab = serializers.CharField(source="application.lab.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "application_code",
            "title",
            "call",
            "canceropole",
            "lab",
            "outcome",
            "amount_awarded",
            "decided_at",
            "published_at",
        ]


# Filters --------------------------------------------------------------------------------------------


class CallFilter(django_filters.FilterSet):
    canceropole = django_filters.ModelChoiceFilter(
        to_field_name="code", queryset=Canceropole.objects.all(), label="Code of the pole"
    )
    kind = django_filters.ChoiceFilter(choices=CallKind.choices)
    status = django_filters.ChoiceFilter(choices=CallStatus.choices)

    class Meta:
        model = Call
        fields = ["canceropole", "kind", "status", "year"]


class ApplicationFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(field_name="call__reference", label="Reference of the call")
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = ["call", "status"]


class DecisionFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(field_name="application__call__reference", label="Reference of the call")
    canceropole = django_filters.CharFilter(
        field_name="application__call__canceropole__code", label="Code of the pole"
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = Decision
        fields = ["call", "canceropole", "outcome"]


# Viewsets -------------------------------------------------------------------------------------------


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for proposals: published ones for everyone; their drafts for the pole's staff and INCa."""

    serializer_class = CallSerializer
    filterset_class = CallFilter
    lookup_field = "reference"
    ordering_fields = ["deadline", "opens_at", "reference"]

    def get_queryset(self):
        return (
            selectors.calls_visible_to(user=self.request.user)
            .prefetch_related("criteria")
            .order_by("-deadline", "id")
        )


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications: the applicant's own (drafts included), the submitted ones of the pole for its staff
    (every pole for INCa), and those a reviewer cleared of conflicts. Drafts are edited by their
    applicant; ``submit`` checks the deadline and every eligibility rule."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            selectors.applications_visible_to(user=self.request.user)
            .prefetch_related("team", "budget_lines", "attachments")
            .order_by("id")
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ApplicationUpdateSerializer
        return ApplicationSerializer

    def create(self, request, *args, **kwargs):
        serializer = ApplicationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        call = data["call"]
        if not selectors.calls_visible_to(user=request.user).filter(pk=call.pk).exists():
            raise serializers.ValidationError({"call": ["No such call."]})
        _require(request, "calls.apply", call)
        application = services.application_create(call=call, applicant=request.user, title=data["title"])
        extra = {k: v for k, v in data.items() if k not in ("call", "title")}
        if extra:
            application = self._update(application, extra)
        return Response(self._read(application.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        _require(request, "calls.edit_application", application)
        serializer = ApplicationUpdateSerializer(application, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self._update(application, dict(serializer.validated_data))
        return Response(self._read(application.pk))

    def _update(self, application, data: dict) -> Application:
        team = data.pop("team", None)
        budget = data.pop("budget_lines", None)
        return services.application_update(
            application=application, by=self.request.user, team=team, budget_lines=budget, **data
        )

    def _read(self, pk: int) -> dict:
        return ApplicationSerializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        _require(request, "calls.edit_application", application)
        services.application_submit(application=application, by=request.user)
        return Response(self._read(application.pk))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        _require(request, "calls.edit_application", application)
        services.application_withdraw(application=application, by=request.user)
        return Response(self._read(application.pk))

    @extend_schema(request=AttachmentUploadSerializer, responses=AttachmentSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        application = self.get_object()
        _require(request, "calls.edit_application", application)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload: UploadedFile = data.validated_data["file"]
        attachment = services.attachment_add(
            application=application, by=request.user, upload=upload, kind=data.validated_data["kind"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Review assignments with their reviews: the reviewer's own; those of the pole's calls for its staff
    (every one for INCa). ``declare`` (no conflict, or a conflict) comes first; ``review`` saves or
    submits the scores."""

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            selectors.assignments_visible_to(user=self.request.user)
            .select_related("application__call")
            .prefetch_related("review__scores")
            .order_by("id")
        )

    @extend_schema(request=DeclarationSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        assignment = self.get_object()
        _require(request, "calls.declare_conflict", assignment)
        data = DeclarationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_declare(assignment=assignment, by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)

    @extend_schema(request=ReviewWriteSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        assignment = self.get_object()
        _require(request, "calls.score_application", assignment)
        data = ReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.review_save(
            assignment=assignment,
            by=request.user,
            scores=values.get("scores", {}),
            comment=values.get("comment", ""),
            recommendation=values.get("recommendation", ""),
            submit=values.get("submit", False),
        )
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Decisions: published ones for everyone; pending ones of their poles for pole staff, all for INCa."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return selectors.decisions_visible_to(user=self.request.user)
