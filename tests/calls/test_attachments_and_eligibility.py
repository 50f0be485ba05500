"""PDF attachments checked by content and stored privately; eligibility explained field by field."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from calls import services
from calls.eligibility import eligibility_checks
from calls.models import Attachment
from common.errors import TransitionError
from tests.calls.factories import lab_in, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English: do not depend on the language a previous test left active."""
    with translation.override("en"):
        yield


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_attachment_add_stores_a_pdf_outside_the_public_media(draft, researcher):
    data = pdf_bytes()

    attachment = services.attachment_add(application=draft, by=researcher, upload=upload("projet.pdf", data))

    files = stored_files()
    assert len(files) == 1
    assert files[0].read_bytes() == data
    assert not str(files[0]).startswith(str(settings.MEDIA_ROOT))
    assert (attachment.original_name, attachment.size, attachment.kind) == (
        "projet.pdf",
        len(data),
        "proposal",
    )
    assert attachment.path.startswith(f"applications/{draft.pk}/")
    assert attachment.path.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("projet.pdf", b"PK\x03\x04 a zip archive renamed to .pdf" * 10, "not a PDF"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not a PDF"),
        ("vide.pdf", b"", "empty"),
        ("tronque.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "cannot be read"),
    ],
)
def test_attachment_add_refuses_what_is_not_a_readable_pdf_and_stores_nothing(
    draft, researcher, name, data, message
):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(application=draft, by=researcher, upload=upload(name, data))

    assert list(error.value.message_dict) == ["file"]
    assert message in error.value.message_dict["file"][0]
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_attachment_add_refuses_an_oversized_pdf_and_stores_nothing(draft, researcher, settings):
    settings.CALLS_ATTACHMENT_MAX_BYTES = 1024
    data = pdf_bytes(pages=30)
    assert len(data) > 1024

    with pytest.raises(ValidationError) as error:
        services.attachment_add(application=draft, by=researcher, upload=upload("gros.pdf", data))

    assert "too large" in error.value.message_dict["file"][0]
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_attachment_add_to_a_submitted_application_is_refused(ready_draft, researcher):
    services.application_submit(application=ready_draft, by=researcher)

    with pytest.raises(TransitionError):
        services.attachment_add(
            application=ready_draft, by=researcher, upload=upload("projet.pdf", pdf_bytes())
        )

    assert ready_draft.attachments.count() == 1
    assert stored_files() == []


def test_attachment_remove_deletes_the_file_after_commit(
    draft, researcher, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        application=draft, by=researcher, upload=upload("projet.pdf", pdf_bytes())
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, by=researcher)

    assert Attachment.objects.count() == 0
    assert stored_files() == []


def checks_by_field(application, **kwargs):
    return {check.field: check for check in eligibility_checks(application, **kwargs)}


def test_eligibility_of_a_complete_application_passes_every_check(ready_draft):
    checks = checks_by_field(ready_draft)

    assert [field for field, check in checks.items() if not check.ok] == []
    assert list(checks) == [
        "title",
        "abstract",
        "lab",
        "requested_amount",
        "duration_months",
        "budget",
        "attachments",
        "applicant",
    ]


def test_eligibility_explains_a_lab_outside_the_pole_s_regions(ready_draft):
    ready_draft.lab = lab_in("CLARA", name="Laboratoire lyonnais")
    ready_draft.save()

    check = checks_by_field(ready_draft)["lab"]

    assert not check.ok
    assert "Laboratoire lyonnais" in check.message
    assert "GSO" in check.message


def test_eligibility_follows_the_coverage_on_the_day(ready_draft):
    from canceropoles.models import Region
    from tests.factories import OrganisationFactory

    # Poitou-Charentes belonged to Grand Ouest until 2017, then to Grand Sud-Ouest.
    poitou = Region.objects.get(insee_code="54")
    ready_draft.lab = OrganisationFactory(region=poitou, name="Laboratoire de Poitiers")
    ready_draft.save()

    assert checks_by_field(ready_draft, on=date(2016, 6, 1))["lab"].ok is False
    assert checks_by_field(ready_draft, on=date(2020, 6, 1))["lab"].ok is True


def test_eligibility_explains_amount_duration_and_budget_mismatch(ready_draft):
    ready_draft.requested_amount = Decimal("26000")
    ready_draft.duration_months = 24
    ready_draft.save()

    checks = checks_by_field(ready_draft)

    assert not checks["requested_amount"].ok
    assert "25" in checks["requested_amount"].message
    assert not checks["duration_months"].ok
    assert "24" in checks["duration_months"].message
    assert not checks["budget"].ok
    assert "26" in checks["budget"].message
    assert checks["title"].ok
    assert checks["lab"].ok
