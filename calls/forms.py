"""Forms of the call pages. They read and shape input only: rules of the domain (ceilings, deadlines,
eligibility, states) are the services', whose errors come back next to the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Attachment, BudgetCategory, CallKind, Outcome, Recommendation, TeamMember
from canceropoles.models import Organisation


def errors_from(error) -> dict[str, list[str]]:
    """A service's ValidationError as {field: [messages]}; errors without a field go under ``__all__``."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of call"), choices=CallKind.choices)
    reference = forms.CharField(
        label=_("Reference"), max_length=60, help_text=_("For example GSO-EMERGENCE-2026.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    text_fr = forms.CharField(
        label=_("Text (French)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    text_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opens_at = forms.DateTimeField(label=_("Opens at (Paris time)"), widget=DateTimeInput())
    deadline = forms.DateTimeField(label=_("Deadline (Paris time)"), widget=DateTimeInput())
    has_letter_of_intent = forms.BooleanField(label=_("Letter-of-intent stage first"), required=False)
    full_deadline = forms.DateTimeField(
        label=_("Deadline of full applications (Paris time)"), widget=DateTimeInput(), required=False
    )
    envelope = forms.DecimalField(label=_("Envelope (EUR)"), min_value=0, max_digits=12, decimal_places=2)
    max_amount = forms.DecimalField(
        label=_("Ceiling per application (EUR)"), min_value=0, max_digits=12, decimal_places=2
    )
    max_duration_months = forms.IntegerField(label=_("Maximum duration (months)"), min_value=1, max_value=120)
    cap_equipment = forms.DecimalField(
        label=_("Maximum equipment share (%)"), min_value=0, max_value=100, required=False, decimal_places=1
    )
    cap_services = forms.DecimalField(
        label=_("Maximum share of services (%)"), min_value=0, max_value=100, required=False, decimal_places=1
    )
    cap_meetings = forms.DecimalField(
        label=_("Maximum share of meetings (%)"), min_value=0, max_value=100, required=False, decimal_places=1
    )
    outside_experts_required = forms.BooleanField(
        label=_("Reviewers from outside the pole only"), required=False
    )
    reviewers_per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=10
    )
    reviewer_load_cap = forms.IntegerField(
        label=_("Maximum applications per reviewer"), min_value=1, max_value=100
    )

    CAPS = ("equipment", "services", "meetings")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        caps = {}
        for category in self.CAPS:
            share = data.pop(f"cap_{category}", None)
            if share is not None:
                caps[category] = str(share / 100)
        data["budget_caps"] = caps
        return data

    @classmethod
    def initial_from(cls, call) -> dict:
        initial = {name: getattr(call, name) for name in cls.base_fields if hasattr(call, name)}
        for category in cls.CAPS:
            share = call.cap_for(category)
            initial[f"cap_{category}"] = share * 100 if share is not None else None
        return initial


class ApplyForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=300)


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    lab = forms.ModelChoiceField(
        label=_("Lab carrying the project"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.LAB)
        .select_related("region")
        .order_by("name"),
        required=False,
    )
    requested_amount = forms.CharField(label=_("Requested amount (EUR)"), max_length=20, required=False)
    duration_months = forms.CharField(label=_("Duration (months)"), max_length=4, required=False)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    keywords = forms.CharField(
        label=_("Keywords"), max_length=300, required=False, help_text=_("Separated by commas.")
    )


class TeamMemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices, required=False)
    lab = forms.ModelChoiceField(
        label=_("Lab"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.LAB).order_by("name"),
        required=False,
    )


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *BudgetCategory.choices], required=False
    )
    description = forms.CharField(label=_("Description"), max_length=250, required=False)
    amount = forms.CharField(label=_("Amount (EUR)"), max_length=20, required=False)


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=2, max_num=20)
BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=30)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What this file is"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("PDF file"), help_text=_("PDF only, 10 MB at most."))


class ScreenForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Screening"),
        choices=[("1", _("Eligible")), ("0", _("Ineligible"))],
        coerce=lambda value: value == "1",
    )
    comment = forms.CharField(label=_("Reason (required if ineligible)"), required=False, max_length=2000)


class PoolForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the reviewer's account"))
    expertise = forms.CharField(label=_("Expertise keywords"), max_length=300, required=False)


class AssignForm(forms.Form):
    application = forms.IntegerField(label=_("Application"))
    reviewer = forms.IntegerField(label=_("Reviewer"))
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("0", _("I declare that I have no conflict of interest with this application.")),
            ("1", _("I have a conflict of interest: I cannot review this application.")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], required=False
    )

    def __init__(self, *args, criteria=(), scale_max=5, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.name} (0–{scale_max})",
                required=False,
                max_length=6,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def scores(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}", "") for c in self.criteria}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    amount_awarded = forms.CharField(label=_("Amount awarded (EUR)"), max_length=20, required=False)
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutboxMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
