"""Forms of the event pages. They check and convert input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canceropoles.models import Canceropole, Region
from events.models import Audience, CareerStage, Event, EventKind, Registration, Session
from events.services import EVENT_FIELDS

ABROAD = "abroad"


class RegionField(forms.ChoiceField):
    """The region of the person's lab: a French region, or outside France (stored as no region)."""

    @staticmethod
    def choices_from_database():
        regions = Region.objects.filter(kind__in=[Region.Kind.METROPOLITAN, Region.Kind.OVERSEAS]).order_by(
            "name"
        )
        return [
            ("", _("Choose…")),
            *[(region.insee_code, region.name) for region in regions],
            (ABROAD, _("Outside France")),
        ]

    def clean(self, value):
        value = super().clean(value)
        if value == ABROAD:
            return None
        try:
            return Region.objects.get(insee_code=value)
        except Region.DoesNotExist:
            raise forms.ValidationError(_("Choose a region from the list."), code="invalid") from None


def region_initial(region: Region | None, *, known: bool) -> str:
    if not known:
        return ""
    return region.insee_code if region else ABROAD


class RegistrationForm(forms.Form):
    """What a person says about themselves when registering (one step, pre-filled from their profile)."""

    career_stage = forms.ChoiceField(
        label=_("Career stage"), choices=[("", _("Choose…")), *CareerStage.choices]
    )
    region = RegionField(label=_("Region of your lab"))
    organisation = forms.CharField(label=_("Lab or institution"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once per form (a callable would be read again on each rendering).
        self.fields["region"].choices = RegionField.choices_from_database()

    @classmethod
    def for_user(cls, user, *, data=None) -> "RegistrationForm":
        """Pre-filled from the user's last registration, else from their directory profile."""
        initial = {}
        last = Registration.objects.filter(user=user).order_by("-created_at").select_related("region").first()
        if last is not None:
            initial = {
                "career_stage": last.career_stage,
                "region": region_initial(last.region, known=True),
                "organisation": last.organisation,
            }
        elif user.person_id and user.person.lab_id:
            lab = user.person.lab
            initial = {
                "organisation": str(lab),
                "region": region_initial(lab.region, known=lab.region_id is not None),
            }
        return cls(data=data, initial=initial)


class PersonForm(RegistrationForm):
    """An organiser registers someone, who may have no account."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    region = RegionField(label=_("Region of the lab"))

    field_order = ["first_name", "last_name", "email", "organisation", "region", "career_stage"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text,
    )


class EventForm(forms.ModelForm):
    """An event's details; times are Europe/Paris."""

    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    registration_opens_at = _datetime_field(
        _("Registration opens at"), required=False, help_text=_("Leave empty to open registration at once.")
    )
    registration_closes_at = _datetime_field(
        _("Registration closes at"),
        required=False,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising cancéropôles"),
        queryset=Canceropole.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        # The fields the service lets organisers set, and the co-organising poles.
        fields = [*EVENT_FIELDS, "co_organisers"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, lead: Canceropole, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EventKind.choices
        self.fields["audience"].choices = Audience.choices
        self.fields["co_organisers"].queryset = Canceropole.objects.exclude(pk=lead.pk).order_by("name")
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = self.initial.get(name)
            if value:
                self.initial[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    def service_fields(self) -> dict:
        """The cleaned data as the services take it (co-organisers apart)."""
        data = dict(self.cleaned_data)
        data.pop("co_organisers", None)
        for name in (
            "title_en",
            "description_fr",
            "description_en",
            "working_group",
            "venue",
            "city",
            "online_url",
        ):
            data[name] = data.get(name) or ""
        return data

    def _post_clean(self):
        # The services validate the event (with the database constraints); the form only converts input.
        pass


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the people registered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AgendaFilterForm(forms.Form):
    pole = forms.ChoiceField(label=_("Cancéropôle"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("All audiences")), *Audience.choices]
    )

    def __init__(self, *args, poles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].choices = [("", _("All poles")), *[(p.code, p.name) for p in poles]]


class SessionForm(forms.Form):
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    room = forms.CharField(label=_("Room"), max_length=120, required=False)

    prefix = "session"


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=250, required=False)
    talk_title = forms.CharField(label=_("Talk title"), max_length=250, required=False)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False, empty_label=_("The whole event")
    )

    prefix = "speaker"

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(event=event).order_by("starts_at", "id")
