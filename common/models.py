"""The small shared kernel: a base model and the bilingual label helper."""

from django.db import models
from django.utils import translation


class TimeStampedModel(models.Model):
    """Every table of the portal records when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


def localized(obj, field: str) -> str:
    """``obj.<field>_en`` when English is active and filled in, else ``obj.<field>_fr``."""
    if translation.get_language() == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_fr")
