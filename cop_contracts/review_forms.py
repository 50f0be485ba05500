"""Forms of the decision pages (the director's approval page, INCa's review queue): filters and bulk
decisions. They only read the request; the services hold the rules (cop_contracts.services.decisions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canceropoles.models import Mission
from cop_contracts.forms import YEAR_CHOICES, BulkDecisionForm, ValueIdsField
from cop_contracts.models import COMMENT_MAX_LENGTH, ValueStatus


class ApprovalFilterForm(forms.Form):
    """GET filters of the director's page. Every field is optional; a bad value is reported, never a 500."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        choices=[("", _("All years")), *YEAR_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
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
        choices=[("", _("Submitted (to approve)"))]
        + [(value, label) for value, label in ValueStatus.choices if value != ValueStatus.SUBMITTED],
        required=False,
    )


class ApprovalBulkForm(forms.Form):
    """The director's decision on several values at once, with one comment."""

    action = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("send_back", _("Send back"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=COMMENT_MAX_LENGTH)
    values = ValueIdsField()


class ReviewBulkForm(BulkDecisionForm):
    """INCa's decision on the ticked values, or on every value matching the queue's filters."""

    TICKED = "ticked"
    MATCHING = "matching"

    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[(TICKED, _("the ticked values")), (MATCHING, _("every value matching the filters"))],
        initial=TICKED,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].required = False

    def clean(self):
        cleaned = super().clean()
        cleaned["scope"] = cleaned.get("scope") or self.TICKED
        if cleaned["scope"] == self.TICKED and not cleaned.get("values") and "values" not in self.errors:
            self.add_error("values", self.fields["values"].error_messages["required"])
        return cleaned
