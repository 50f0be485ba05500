"""Accounts: users who log in with their e-mail, and their roles.

Pole roles are memberships (user, cancéropôle, role). INCa staff is a national role, a flag on the user.
Reviewer and researcher are not roles but what any account can do: a researcher drafts applications,
a reviewer scores those assigned to them.

Partners (regions, foundations, INCa's own tools) read the API with keys: a ``PartnerKey`` belongs to a
``Partner``, is stored hashed (only its prefix is readable), grants some resources (``PartnerScope``) for
some poles (all when none is chosen), and can expire or be revoked.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    is_inca_staff = models.BooleanField(
        _("INCa staff"),
        default=False,
        help_text=_("National role: sees all poles and reviews COP indicators."),
    )
    person = models.OneToOneField(
        "canceropoles.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    # Who granted a role (INCa staff, admin rights) or deactivated an account, and when. The password
    # hash stays out of the history, and so does the time of each sign-in.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.email

    def pole_roles(self) -> dict[int, set[str]]:
        """{canceropole_id: {role, …}} for this user, read once per user object (one query)."""
        cached = getattr(self, "_pole_roles", None)
        if cached is None:
            cached = {}
            for pole_id, role in Membership.objects.filter(user=self).values_list("canceropole_id", "role"):
                cached.setdefault(pole_id, set()).add(role)
            self._pole_roles = cached
        return cached


class Membership(TimeStampedModel):
    """A pole role: the director or a coordinator of one cancéropôle."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["canceropole__code", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "canceropole", "role"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.canceropole.code}"


class Partner(TimeStampedModel):
    """An organisation that reads the portal's data through the API with one or more keys."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class PartnerScope(models.TextChoices):
    """What a partner key may read beyond the public data, for the poles of the key."""

    CONTRACTS = "contracts", _("COP contracts")
    VALUES = "values", _("Indicator values submitted to the director, approved or accepted")
    ROLLUPS = "rollups", _("Provisional rollups of the poles")


def validate_partner_scopes(scopes) -> None:
    if not isinstance(scopes, list) or any(scope not in PartnerScope.values for scope in scopes):
        raise ValidationError(
            _("Scopes must be a list of: %(scopes)s."), params={"scopes": ", ".join(PartnerScope.values)}
        )


class PartnerKey(AbstractAPIKey):
    """An API key of a partner: read-only, scoped to resources and optionally to poles.

    The key itself is shown once, when it is created; the table keeps its prefix and a SHA-512 hash
    (djangorestframework-api-key). ``last_used_at`` is refreshed at most once a minute, so that reading
    the API does not write on every request.
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("partner")
    )
    scopes = models.JSONField(
        _("scopes"),
        default=list,
        blank=True,
        validators=[validate_partner_scopes],
        help_text=_("Resources the key may read beyond the public data."),
    )
    canceropoles = models.ManyToManyField(
        "canceropoles.Canceropole",
        blank=True,
        related_name="partner_keys",
        verbose_name=_("cancéropôles"),
        help_text=_("Poles whose data the scopes open; none: every pole."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
