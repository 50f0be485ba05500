"""Accounts: users who log in with their e-mail, and their roles.

Pole roles are memberships (user, cancéropôle, role). INCa staff is a national role, a flag on the user.
Reviewer and researcher are not roles but what any account can do: a researcher drafts applications,
a reviewer scores those assigned to them.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
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
        "canceropoles.Canceropole",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("cancéropôle"),
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
