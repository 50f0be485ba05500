"""The workflow helper every app's transitions go through (DESIGN §2, §4).

A transition moves one object from a status it may leave to a new status, under a row lock, and records
who moved it, when, from which status to which, and why. An app subclasses ``TransitionRecord`` with a
foreign key to its object and names that key in ``subject_field``::

    class ValueTransition(TransitionRecord):
        subject_field = "value"
        value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="transitions")

then each of its services calls ``transition(...)``, and schedules its e-mails (common.notifications) and
tasks (common.outbox) after commit.

Locks: only the object's own row is locked (``FOR UPDATE OF`` the object's table, with no join), so that
two transactions never wait on each other through a shared parent row (a contract, an indicator).
A service that moves several objects locks them all first with ``lock_in_order`` (one query, primary-key
order), so that two such services running at once take their locks in the same order and never deadlock.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import TransitionError


class TransitionRecord(models.Model):
    """One step of an object's workflow: who moved it, when, from which status to which, and why.

    Subclasses add the foreign key to their object and set ``subject_field`` to its name.
    """

    subject_field = ""

    from_status = models.CharField(gettext_lazy("from"), max_length=20, blank=True)
    to_status = models.CharField(gettext_lazy("to"), max_length=20)
    # None: the portal itself (a scheduled computation), not a person.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    at = models.DateTimeField(gettext_lazy("at"), auto_now_add=True)
    comment = models.TextField(gettext_lazy("comment"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        labels = dict(self._meta.get_field("to_status").flatchoices)
        start = labels.get(self.from_status, self.from_status) if self.from_status else _("created")
        return f"{start} → {labels.get(self.to_status, self.to_status)}"

    @classmethod
    def for_objects(cls, object_ids: Iterable) -> QuerySet:
        return cls.objects.filter(**{f"{cls.subject_field}_id__in": list(object_ids)})


def lock_in_order(queryset: QuerySet, pks: Iterable) -> dict:
    """Lock the rows of ``queryset``'s model whose primary keys are ``pks``; {pk: locked object}.

    One query, rows locked in primary-key order, the model's own table only: what every service that
    moves several objects does first (see the module's docstring).
    """
    pks = sorted(set(pks))
    if not pks:
        return {}
    rows = queryset.model._default_manager.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
    return {row.pk: row for row in rows}


def _keep_loaded_relations(source: Model, target: Model) -> None:
    """Give the freshly locked ``target`` the related objects ``source`` had loaded (same ids), so that
    the caller's joins are not lost and do not cost one query each."""
    for field in source._meta.concrete_fields:
        if (
            field.is_relation
            and field.is_cached(source)
            and getattr(source, field.attname) == getattr(target, field.attname)
        ):
            field.set_cached_value(target, field.get_cached_value(source))


def refusal(
    obj: Model, *, to: str, status_field: str = "status", message: str | None = None
) -> TransitionError:
    """The TransitionError of a step the object's status does not allow, naming ``status_field``.

    ``message`` may use ``%(status)s`` (the current status) and ``%(to)s`` (the status asked for).
    """
    field = obj._meta.get_field(status_field)
    choices = dict(field.flatchoices)
    current = getattr(obj, status_field)
    template = message or _("This item is “%(status)s”: it cannot go to “%(to)s” from there.")
    return TransitionError(
        {status_field: [template % {"status": choices.get(current, current), "to": choices.get(to, to)}]}
    )


@transaction.atomic
def transition(
    *,
    obj: Model,
    to: str,
    allowed_from: Iterable[str],
    by,
    record_model: type[TransitionRecord],
    comment: str = "",
    expected_status: str | None = None,
    status_field: str = "status",
    message: str | None = None,
    check: Callable[[Model], None] | None = None,
) -> Model:
    """Move ``obj`` to the status ``to`` and record the step; return the object as locked and saved.

    Locks the object's row (its table only), checks that its current status is in ``allowed_from``
    (and is ``expected_status`` when given: the status the caller saw when it checked permissions, so
    that a step is never applied to a state nobody looked at), saves the status with ``update_fields``
    (and ``updated_at`` when the model has it), and writes one ``record_model`` row.

    Raises TransitionError naming ``status_field`` when the status does not allow the step, with
    ``message`` if given (see ``refusal``). ``check(locked)``, when given, runs after the status check
    on the locked object and may raise its own TransitionError (four eyes, a required figure).
    Side effects: none after commit; the caller schedules its e-mails and tasks.
    """
    model = type(obj)
    locked = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    _keep_loaded_relations(obj, locked)
    current = getattr(locked, status_field)
    if current not in tuple(allowed_from) or (expected_status is not None and current != expected_status):
        raise refusal(locked, to=to, status_field=status_field, message=message)
    if check is not None:
        check(locked)
    setattr(locked, status_field, to)
    update_fields = [status_field]
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        update_fields.append("updated_at")
    locked.save(update_fields=update_fields)
    record_model.objects.create(
        **{record_model.subject_field: locked},
        from_status=current,
        to_status=to,
        by=by,
        comment=comment,
    )
    return locked


def record_creation(*, obj: Model, to: str, by, record_model: type[TransitionRecord], comment: str = ""):
    """Record the first step of a new object (from no status to ``to``)."""
    return record_model.objects.create(
        **{record_model.subject_field: obj}, from_status="", to_status=to, by=by, comment=comment
    )


def last_actors(*, record_model: type[TransitionRecord], object_ids: Iterable, to_status: str) -> dict:
    """{object id: id of the user who last moved it to ``to_status``}, in one query."""
    subject_id = f"{record_model.subject_field}_id"
    steps = (
        record_model.for_objects(object_ids)
        .filter(to_status=to_status)
        .order_by(subject_id, "at", "id")
        .values_list(subject_id, "by_id")
    )
    return dict(steps)  # later rows overwrite earlier ones: the latest step wins


def four_eyes_violations(
    *, record_model: type[TransitionRecord], objects: Iterable[Model], by, submitted_status: str
) -> list[Model]:
    """The objects among ``objects`` that ``by`` moved to ``submitted_status`` last (one query)."""
    objects = list(objects)
    actors = last_actors(
        record_model=record_model, object_ids=[o.pk for o in objects], to_status=submitted_status
    )
    return [o for o in objects if by is not None and actors.get(o.pk) == by.pk]


def require_four_eyes(
    *,
    record_model: type[TransitionRecord],
    obj: Model,
    by,
    submitted_status: str,
    field: str = "status",
) -> None:
    """Four eyes: refuse (TransitionError naming ``field``) when ``by`` submitted ``obj`` themselves."""
    if four_eyes_violations(
        record_model=record_model, objects=[obj], by=by, submitted_status=submitted_status
    ):
        raise TransitionError(
            {field: [_("You submitted this yourself: someone else must decide on it (four eyes).")]}
        )
