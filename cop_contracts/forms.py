"""Forms of the COP pages. They read the request the way people type (French or English numbers); the
services hold the rules on figures and states."""

import re
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import get_language
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


# What a figure column can hold (max_digits=20, decimal_places=4): below 10^16, four decimals at most.
FIGURE_LIMIT = Decimal(10) ** 16
FIGURE_DECIMALS = 4
SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space: all group digits in French


def _number_pattern(group_separators: str, decimal_marks: str) -> re.Pattern:
    groups = rf"\d{{1,3}}(?:[{group_separators}]\d{{3}})+"
    return re.compile(rf"[+-]?(?:{groups}|\d+)(?:[{decimal_marks}]\d+)?", re.ASCII)


# French: "1 200,5" (any of the three spaces), and "12.5" as people also type it. English: "1,200.5".
NUMBER_PATTERNS = {
    "fr": _number_pattern(SPACES, ",."),
    "en": _number_pattern(SPACES + ",", "."),
}
# "1.200" in French: one thousand two hundred, or one point two? Refused rather than guessed.
AMBIGUOUS_FRENCH = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}", re.ASCII)


def figure_limit_text() -> str:
    return number_format(FIGURE_LIMIT - 1, decimal_pos=0, use_l10n=True, force_grouping=True)


class FigureField(forms.Field):
    """A figure typed on a page, read the way the visitor's language writes numbers.

    French: "1 200", "1 200,5" (space, no-break or narrow no-break space between groups), "12.5" also
    accepted; English: "1,200.5". Refused with a message naming the problem: letters, an exponent
    ("1e6"), digits of another script, more than four decimals, a number at or above 10^16 (the message
    gives the limit). Returns a Decimal, or None when left empty.
    """

    default_error_messages = {
        "invalid": _("Enter a number."),
        "exponent": _("Write the number in full, without an exponent: 1,000,000 rather than 1e6."),
        "digits": _("Use the digits 0 to 9."),
        "ambiguous": _("Ambiguous number: write %(thousands)s (thousands) or %(decimal)s (decimals)."),
        "decimals": _("Enter at most %(decimals)s decimal places."),
        "too_large": _("This number is too large: the limit is %(limit)s."),
    }
    max_length = 40

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > self.max_length:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if any(char.isdigit() and not "0" <= char <= "9" for char in text):
            raise forms.ValidationError(self.error_messages["digits"], code="digits")
        if re.fullmatch(r"[+-]?[\d.,\s]*\d[eE][+-]?\d+", text):
            raise forms.ValidationError(self.error_messages["exponent"], code="exponent")
        language = "fr" if (get_language() or "fr").startswith("fr") else "en"
        pattern = NUMBER_PATTERNS[language]
        if language == "fr" and AMBIGUOUS_FRENCH.fullmatch(text):
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "thousands": text.replace(".", "\u00a0"),
                    "decimal": format(Decimal(text).normalize(), "f").replace(".", ","),
                },
            )
        if not pattern.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        plain = text.translate({ord(char): None for char in SPACES})
        if language == "en":
            plain = plain.replace(",", "")
        number = Decimal(plain.replace(",", "."))
        if -number.as_tuple().exponent > FIGURE_DECIMALS:
            raise forms.ValidationError(
                self.error_messages["decimals"], code="decimals", params={"decimals": FIGURE_DECIMALS}
            )
        if abs(number) >= FIGURE_LIMIT:
            raise forms.ValidationError(
                self.error_messages["too_large"], code="too_large", params={"limit": figure_limit_text()}
            )
        return number


class ValueEntryForm(forms.Form):
    """One cell of the reporting grid: a value, or numerator and denominator for a ratio, and a comment.

    The form reads the figures (see FigureField); whether they fit the indicator (a percentage, a whole
    count) is the service's rule, which names the field in error. ``indicator`` lets the form refuse a
    ratio whose result would not fit, before the service computes it.
    """

    value = FigureField(label=_("Value"))
    numerator = FigureField(label=_("Numerator"))
    denominator = FigureField(label=_("Denominator"))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        is_ratio = self.indicator is not None and self.indicator.is_ratio
        if (
            is_ratio
            and numerator
            and denominator
            and abs(numerator * self.indicator.scale / denominator) >= FIGURE_LIMIT
        ):
            self.add_error(
                "denominator",
                forms.ValidationError(
                    _(
                        "The numerator divided by this denominator is too large: the limit is "
                        "%(limit)s. Check the denominator."
                    ),
                    code="ratio_too_large",
                    params={"limit": figure_limit_text()},
                ),
            )
        return cleaned


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


def year_filter_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Year"),
        choices=[("", _("All years")), *YEAR_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )


def mission_filter_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("All missions"),
    )


def status_filter_field(*, waiting: str, waiting_label) -> forms.ChoiceField:
    """The status filter of a decision page: empty means the values waiting for this page's decision."""
    return forms.ChoiceField(
        label=_("Status"),
        choices=[("", waiting_label)]
        + [(value, label) for value, label in ValueStatus.choices if value != waiting],
        required=False,
    )


class ReviewFilterForm(forms.Form):
    """GET filters of INCa's review queue. Every field is optional; a bad value is reported, never a 500."""

    pole = forms.ModelChoiceField(
        label=_("Pole"),
        queryset=Canceropole.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All poles"),
    )
    mission = mission_filter_field()
    status = status_filter_field(waiting=ValueStatus.APPROVED, waiting_label=_("Approved (to review)"))
    year = year_filter_field()


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


class TargetForm(forms.Form):
    """A contract's target for one indicator and year, with an optional baseline, typed as on the grid.

    The form reads the figures (see FigureField); whether they fit the indicator's unit and the contract's
    period is services.target_set's rule, which names the field in error.
    """

    value = FigureField(label=_("Target"))
    baseline = FigureField(label=_("Baseline"))
