from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    # Django's message says both fields "may be case-sensitive"; the address is not (stored in lower case).
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter a correct e-mail address and password. The password is case-sensitive; the address is not."
        ),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case (UserManager, user_upsert): "Jean.Dupont@…" must log in too.
        return self.cleaned_data["username"].lower()


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the field named as everywhere else on the portal ("E-mail address")."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
