"""Forms of the follow-up pages. They only read the request; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import OutcomeKind, Project, ReportKind

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    lead_email = forms.EmailField(label=_("Lead's e-mail (an account of the portal)"), required=False)
    amount = forms.CharField(label=_("Amount awarded (EUR)"), max_length=30)
    start_date = forms.DateField(label=_("Start date"), required=False, **DATE)
    end_date = forms.DateField(label=_("End date"), required=False, **DATE)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    doi = forms.CharField(label=_("DOI (publication)"), max_length=200, required=False)
    hal_id = forms.CharField(label=_("HAL identifier (publication)"), max_length=40, required=False)
    funder_name = forms.CharField(label=_("Funder (follow-on funding)"), max_length=200, required=False)
    programme = forms.CharField(label=_("Programme (follow-on funding)"), max_length=200, required=False)
    amount = forms.CharField(label=_("Amount (EUR, follow-on funding)"), max_length=30, required=False)
    reference = forms.CharField(label=_("Reference (patent, trial, SIREN)"), max_length=80, required=False)
    partner = forms.CharField(label=_("Partner (collaboration)"), max_length=200, required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    due_on = forms.DateField(label=_("Due on"), **DATE)


class ReportSubmitForm(forms.Form):
    summary = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
