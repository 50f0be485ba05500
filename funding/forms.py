"""Forms of the funding pages. They only read the request; the services hold the rules on money."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import CommitmentKind, Earmark, FunderKind

MANUAL_COMMITMENT_KINDS = [
    (CommitmentKind.ENVELOPE, CommitmentKind.ENVELOPE.label),
    (CommitmentKind.PROJECT, CommitmentKind.PROJECT.label),
    (CommitmentKind.EVENT, CommitmentKind.EVENT.label),
    (CommitmentKind.OTHER, CommitmentKind.OTHER.label),
]


def errors_from(error) -> dict[str, list[str]]:
    """A service's ValidationError as {field: [messages]}; errors without a field under ``__all__``."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def add_service_errors(form: forms.Form, error) -> None:
    """Put a service's errors on the form's fields (or on the form when it has no such field)."""
    for field, messages in errors_from(error).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class FunderForm(forms.Form):
    name = forms.CharField(label=_("Funder's name"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind of funder"), choices=FunderKind.choices)
    siret = forms.CharField(label=_("SIRET"), max_length=14, required=False)


class AllocationForm(forms.Form):
    funder = forms.TypedChoiceField(label=_("Funder"), coerce=int)
    amount = forms.CharField(label=_("Amount (EUR)"), max_length=30)
    purpose = forms.CharField(label=_("Purpose"), max_length=250)
    earmark = forms.ChoiceField(
        label=_("Earmark"), choices=[("", _("None")), *Earmark.choices], required=False
    )
    reference = forms.CharField(label=_("Agreement reference"), max_length=80, required=False)

    def __init__(self, *args, funders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", "—")] + [(f.pk, str(f)) for f in funders]


class CommitmentForm(forms.Form):
    allocation = forms.TypedChoiceField(label=_("Allocation"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=MANUAL_COMMITMENT_KINDS)
    amount = forms.CharField(label=_("Amount (EUR)"), max_length=30)
    call = forms.TypedChoiceField(
        label=_("Call (for an envelope)"), coerce=int, required=False, empty_value=None
    )
    project = forms.TypedChoiceField(
        label=_("Project (entered directly)"), coerce=int, required=False, empty_value=None
    )
    event = forms.TypedChoiceField(label=_("Event"), coerce=int, required=False, empty_value=None)
    label = forms.CharField(label=_("Label (event or expense)"), max_length=250, required=False)

    def __init__(self, *args, allocations=(), calls=(), projects=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].choices = [("", "—")] + [
            (a.pk, f"{a.funder} – {a.purpose} ({a.amount} €)") for a in allocations
        ]
        self.fields["call"].choices = [("", "—")] + [(c.pk, f"{c.reference} – {c.title}") for c in calls]
        self.fields["project"].choices = [("", "—")] + [(p.pk, p.title) for p in projects]
        self.fields["event"].choices = [("", "—")] + [(e.pk, str(e)) for e in events]


class DisbursementForm(forms.Form):
    amount = forms.CharField(label=_("Amount (EUR)"), max_length=30)
    scheduled_on = forms.DateField(label=_("Scheduled on"), widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=80, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
