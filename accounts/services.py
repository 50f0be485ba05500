"""Writes on accounts and roles, and the password reset e-mail."""

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import translation

from accounts.models import Membership, User
from canceropoles.models import Canceropole


@transaction.atomic
def user_upsert(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    is_inca_staff: bool = False,
    is_superuser: bool = False,
    person=None,
) -> User:
    """Create the account with this e-mail, or bring an existing one to this state (password included)."""
    user = User.objects.filter(email=email.lower()).first() or User(email=email.lower())
    user.first_name = first_name
    user.last_name = last_name
    user.is_inca_staff = is_inca_staff
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    user.person = person
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user: User, canceropole: Canceropole, role: str) -> Membership:
    """Give ``user`` a pole role; granting a role the user already holds changes nothing."""
    membership, _created = Membership.objects.get_or_create(user=user, canceropole=canceropole, role=role)
    user.__dict__.pop("_pole_roles", None)
    return membership


def password_reset_request(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Queue the reset e-mail for ``email``, whether or not an account has it.

    The request that asks for a reset does no lookup: the task does, so the answer takes the same time for
    a known and an unknown address. Side effects: queues ``accounts.password_reset_send`` at once (the
    request writes nothing, so there is no transaction to wait for).
    """
    from accounts.tasks import password_reset_send_task

    password_reset_send_task.delay(email=email, domain=domain, use_https=use_https, language=language)


def password_reset_send(*, email: str, domain: str, use_https: bool, language: str) -> int:
    """Send a link to choose a new password to the active account with this ``email``, if there is one.

    Django's reset form finds the account and builds the one-time link; the e-mail is in ``language``.
    Side effects: one e-mail, or none for an unknown or inactive address. Returns the number sent.
    """
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    recipients = list(form.get_users(form.cleaned_data["email"]))
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name="registration/password_reset_email.txt",
        )
    return len(recipients)
