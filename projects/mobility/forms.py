"""Forms of the mobility pages. They only read the request; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import MobilityStatus

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ApplyForm(forms.Form):
    home_lab = forms.TypedChoiceField(label=_("Your lab"), coerce=int)
    host_institution = forms.CharField(label=_("Host lab or institution"), max_length=250)
    host_city = forms.CharField(label=_("Host city"), max_length=100, required=False)
    host_country = forms.CharField(
        label=_("Host country (two-letter code)"), max_length=2, help_text=_("For example DE, ES, US, FR.")
    )
    purpose = forms.CharField(label=_("Purpose of the stay"), widget=forms.Textarea(attrs={"rows": 4}))
    start_date = forms.DateField(label=_("Start of the stay"), **DATE)
    end_date = forms.DateField(label=_("End of the stay"), **DATE)
    amount_requested = forms.CharField(label=_("Amount requested (EUR)"), max_length=30)

    def __init__(self, *args, labs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_lab"].choices = [("", "—")] + [(lab.pk, str(lab)) for lab in labs]


class DecisionForm(forms.Form):
    amount = forms.CharField(label=_("Amount approved (EUR)"), max_length=30, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class StayForm(forms.Form):
    start_date = forms.DateField(label=_("Actual start of the stay"), required=False, **DATE)
    end_date = forms.DateField(label=_("Actual end of the stay"), required=False, **DATE)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report on the stay"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class SessionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=12)
    opens_on = forms.DateField(label=_("Opens on"), **DATE)
    closes_on = forms.DateField(label=_("Closes on"), **DATE)
    ceiling = forms.CharField(label=_("Ceiling per grant (EUR)"), max_length=30, initial="2500")


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *MobilityStatus.choices], required=False
    )
