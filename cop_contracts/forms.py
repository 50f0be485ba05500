"""Forms of the COP pages. They only read the request; the services hold the rules on figures and states."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canceropoles.models import Canceropole, Mission
from cop_contracts.models import LABELLING_PERIOD, RollupBasis, ValueStatus

PERIOD_YEARS = range(LABELLING_PERIOD[0], LABELLING_PERIOD[1] + 1)
YEAR_CHOICES = [(year, str(year)) for year in PERIOD_YEARS]


def errors_from(error) -> dict[str, list[str]]:
    """A service's TransitionError as {field: [messages]}; errors without a field go under ``__all__``."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in messages] for field, messages in error.message_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


class ValueEntryForm(forms.Form):
    """One cell of the reporting grid: a value, or numerator and denominator for a ratio, and a comment.

    Figures stay text here: the service parses them (decimal comma accepted) and names the field in error.
    """

    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    numerator = forms.CharField(label=_("Numerator"), required=False, max_length=40)
    denominator = forms.CharField(label=_("Denominator"), required=False, max_length=40)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class DecisionForm(forms.Form):
    """A reviewer's step on one value: the action chosen with its button, and a comment.

    Whether the comment is required (sending back, unlocking) is the service's rule.
    """

    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("accept", _("Accept")),
            ("send_back", _("Send back")),
            ("unlock", _("Unlock")),
        ]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class ValueIdsField(forms.Field):
    """The ids of the values ticked in a list (checkboxes named alike)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one value."),
        "invalid": _("Select values from the list."),
    }

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkDecisionForm(forms.Form):
    """The same step on several values of the review queue, with one comment."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("accept", _("Accept")), ("send_back", _("Send back"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
    values = ValueIdsField()


class ReviewFilterForm(forms.Form):
    """GET filters of INCa's review queue. Every field is optional; a bad value is reported, never a 500."""

    pole = forms.ModelChoiceField(
        label=_("Pole"),
        queryset=Canceropole.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All poles"),
    )
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("All missions"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Approved (to review)"))]
        + [(value, label) for value, label in ValueStatus.choices if value != ValueStatus.APPROVED],
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        choices=[("", _("All years")), *YEAR_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )


class DashboardForm(forms.Form):
    """GET choices of the national dashboard: the year, published or provisional figures, a pole to highlight.

    The poles come from the view (already read for the page), so validating them costs no query.
    """

    year = forms.TypedChoiceField(
        label=_("Year"), choices=YEAR_CHOICES, coerce=int, required=False, empty_value=None
    )
    basis = forms.ChoiceField(
        label=_("Figures"),
        choices=[
            (RollupBasis.ACCEPTED, _("Published (accepted by INCa)")),
            (RollupBasis.PROVISIONAL, _("Provisional (submitted, approved or accepted)")),
        ],
        required=False,
    )
    pole = forms.ChoiceField(label=_("Highlight a pole"), required=False)

    def __init__(self, *args, poles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].choices = [("", _("None")), *((pole.code, pole.name) for pole in poles)]
