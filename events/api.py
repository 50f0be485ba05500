"""REST API of events: the public agenda (readable by anyone, partners included) and registrations
(their owner and the event's organisers only).

Reads come from events.selectors, so that an object outside the user's scope is absent (404); writes go
through events.services after the permission of events.rules is checked (403 when the object is
visible but the action is not the user's). A service refusing a step (registration closed, already
registered, event started) answers 400 naming the field.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.viewers import viewer_of
from canceropoles.models import Region
from common.api import ModifiedSinceFilterSet, UtcDateTimeFilter
from events import selectors, services
from events.models import (
    Audience,
    CareerStage,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)

# Serializers ----------------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Lead pole's code."
    )
    co_organisers = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the co-organising poles."
    )
    places_taken = serializers.IntegerField(read_only=True)
    places_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="None without a capacity."
    )
    waiting = serializers.IntegerField(read_only=True, help_text="People on the waiting list.")
    registration_open = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The event's page.")
    ical_url = serializers.SerializerMethodField(help_text="The event as an iCalendar file.")

    class Meta:
        model = Event
        fields = [
            "id",
            "uid",
            "canceropole",
            "co_organisers",
            "kind",
            "audience",
            "working_group",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "starts_at",
            "ends_at",
            "venue",
            "city",
            "online_url",
            "capacity",
            "places_taken",
            "places_left",
            "waiting",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "fee",
            "status",
            "url",
            "ical_url",
        ]

    def get_registration_open(self, event) -> bool:
        return event.registration_is_open()

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, event) -> str:
        return self._absolute(event.get_absolute_url())

    def get_ical_url(self, event) -> str:
        return self._absolute(reverse("events:event_calendar", args=[event.pk]))


class RegistrationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="insee_code", read_only=True, help_text="INSEE code of the lab's region; null when abroad."
    )
    waiting_position = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="1 for the next person to get a place; null unless waiting.",
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "region",
            "career_stage",
            "status",
            "waiting_position",
            "requested_at",
        ]


class RegisterSerializer(serializers.Serializer):
    career_stage = serializers.ChoiceField(choices=CareerStage.choices)
    region = serializers.SlugRelatedField(
        slug_field="insee_code",
        queryset=Region.objects.all(),
        allow_null=True,
        help_text="INSEE code of the lab's region; null when the lab is outside France.",
    )
    organisation = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.BooleanField()


class CancelSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# Filters --------------------------------------------------------------------------------------------


class EventFilter(ModifiedSinceFilterSet):
    pole = django_filters.CharFilter(method="by_pole", label="Code of a pole organising or co-organising it")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    audience = django_filters.ChoiceFilter(choices=Audience.choices)
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    starts_after = UtcDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["pole", "kind", "audience", "status", "starts_after", "starts_before"]

    def by_pole(self, queryset, name, value):
        code = value.upper()
        co_organised = Event.co_organisers.through.objects.filter(
            event_id=OuterRef("pk"), canceropole__code=code
        )
        return queryset.filter(Q(canceropole__code=code) | Q(Exists(co_organised)))


class RegistrationFilter(ModifiedSinceFilterSet):
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)

    class Meta:
        model = Registration
        fields = ["event", "status"]


# Viewsets -------------------------------------------------------------------------------------------


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """The agenda: published and cancelled events for everyone (partners included), drafts for their
    organisers and INCa staff. ``register`` puts the signed-in user on the event (a place, or the
    waiting list when it is full)."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["starts_at", "id"]
    ordering = ["starts_at", "id"]

    def get_queryset(self):
        return selectors.events_visible_to(viewer=viewer_of(self.request))

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def register(self, request, pk=None):
        event = self.get_object()
        if not request.user.has_perm("events.register", event):
            raise PermissionDenied
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.registration_create(event=event, user=request.user, **data.validated_data)
        registration = selectors.with_waiting_position(Registration.objects.filter(pk=registration.pk)).get()
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Registrations the user may see: their own, and those of the events they organise. Others are
    absent (404), not forbidden."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [IsAuthenticated]
    # Cursor pages need an indexed, (nearly) unique first column: the id.
    ordering_fields = ["id", "requested_at"]
    ordering = "id"

    def get_queryset(self):
        return selectors.with_waiting_position(
            selectors.registrations_visible_to(viewer=viewer_of(self.request))
        )

    def _respond(self, registration: Registration) -> Response:
        fresh = self.get_queryset().get(pk=registration.pk)
        return Response(RegistrationSerializer(fresh).data)

    @extend_schema(request=CancelSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = self.get_object()
        if not request.user.has_perm("events.cancel_registration", registration):
            raise PermissionDenied
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.registration_cancel(registration=registration, by=request.user, **data.validated_data)
        return self._respond(registration)

    @extend_schema(request=AttendanceSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        registration = self.get_object()
        if not request.user.has_perm("events.record_attendance", registration.event):
            raise PermissionDenied
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.attendance_set(registration=registration, by=request.user, **data.validated_data)
        return self._respond(registration)
