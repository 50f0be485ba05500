"""Writes on accounts and roles, partners and their API keys, and the password reset e-mail."""

from datetime import datetime, timedelta

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Partner, PartnerKey, PartnerScope, User
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


# How stale ``PartnerKey.last_used_at`` may get before a request writes it again.
KEY_USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def partner_get_or_create(*, name: str, contact_email: str = "") -> Partner:
    """The partner of this name, created when new; an existing partner is left as it is."""
    if not name.strip():
        raise ValidationError({"name": _("A partner needs a name.")})
    partner, _created = Partner.objects.get_or_create(
        name=name.strip(), defaults={"contact_email": contact_email}
    )
    return partner


@transaction.atomic
def partner_key_create(
    *,
    partner: Partner,
    name: str,
    scopes: list[str],
    canceropoles: list[Canceropole] | tuple = (),
    expires_at: datetime | None = None,
) -> tuple[PartnerKey, str]:
    """Create a read-only API key for ``partner``; return the key row and the key itself.

    The key is returned once: the table keeps its prefix and hash only. Scopes name the resources the
    key reads beyond the public data, for ``canceropoles`` (every pole when empty). Raises
    ValidationError naming the field for an unknown scope, an empty name or an expiry in the past.
    """
    errors = {}
    if not name.strip():
        errors["name"] = [_("A key needs a name.")]
    unknown = sorted(set(scopes) - set(PartnerScope.values))
    if unknown:
        errors["scopes"] = [
            _("Unknown scope: %(unknown)s (known: %(known)s).")
            % {"unknown": ", ".join(unknown), "known": ", ".join(PartnerScope.values)}
        ]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    key, secret = PartnerKey.objects.create_key(
        partner=partner, name=name.strip()[:50], scopes=sorted(set(scopes)), expiry_date=expires_at
    )
    key.canceropoles.set(canceropoles)
    return key, secret


@transaction.atomic
def partner_key_revoke(*, key: PartnerKey) -> PartnerKey:
    """Revoke a key for good: every later request with it answers 401. Revoking twice changes nothing."""
    key = PartnerKey.objects.select_for_update().get(pk=key.pk)
    if not key.revoked:
        key.revoked = True
        key.save(update_fields=["revoked"])
    return key


def partner_key_record_use(*, key: PartnerKey) -> None:
    """Record that the key was just used; at most one write a minute per key (one UPDATE, no lock)."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < KEY_USE_RESOLUTION:
        return
    PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
