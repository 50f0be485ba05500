"""Forms of the decision pages (the director's approval page, INCa's review queue): filters and bulk
decisions. They only read the request; the services hold the rules (cop_contracts.services.decisions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cop_contracts.forms import (
    BulkDecisionForm,
    ValueIdsField,
    mission_filter_field,
    status_filter_field,
    year_filter_field,
)
from cop_contracts.models import COMMENT_MAX_LENGTH, ValueStatus


class ApprovalFilterForm(forms.Form):
    """GET filters of the director's page. Every field is optional; a bad value is reported, never a 500."""

    year = year_filter_field()
    mission = mission_filter_field()
    status = status_filter_field(waiting=ValueStatus.SUBMITTED, waiting_label=_("Submitted (to approve)"))


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
