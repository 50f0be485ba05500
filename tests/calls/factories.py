"""Factories of the calls tests. Defaults are plain: an open Émergence call of pole A's shape, a draft
application with nothing filled in beyond its title; tests ask for the rest."""

import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls.models import Application, Call, CallKind, CallStatus, Criterion, Reviewer
from canceropoles.models import Canceropole, Organisation, Region
from tests.factories import OrganisationFactory, PersonFactory, UserFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    canceropole = factory.LazyFunction(lambda: Canceropole.objects.get(code="GSO"))
    kind = CallKind.EMERGENCE
    reference = factory.Sequence(lambda n: f"TEST-EMERGENCE-{n:04d}")
    year = 2026
    title_fr = factory.Sequence(lambda n: f"Appel Émergence test {n}")
    title_en = factory.Sequence(lambda n: f"Emergence test call {n}")
    text_fr = "Soutien à l'émergence de projets."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    envelope = Decimal("200000")
    max_amount = Decimal("25000")
    max_duration_months = 12
    budget_caps = factory.LazyFunction(lambda: {"equipment": "0.2", "services": "0.5", "meetings": "0.1"})
    status = CallStatus.OPEN

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for position, (name, weight) in enumerate(extracted or [("Qualité", 2), ("Faisabilité", 1)], start=1):
            Criterion.objects.create(
                call=self, position=position, name_fr=name, name_en=name, weight=Decimal(weight)
            )


def lab_in(code: str, **fields) -> Organisation:
    """A lab in a region the pole of ``code`` covers today."""
    pole = Canceropole.objects.get(code=code)
    region = (
        Region.objects.filter(coverages__canceropole=pole, coverages__valid_to__isnull=True)
        .order_by("insee_code")
        .first()
    )
    return OrganisationFactory(region=region, **fields)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Projet test {n}")


def complete(application: Application, *, amount: str = "20000", lab=None) -> Application:
    """Fill a draft so that it passes every eligibility check (lab of the call's pole, budget, PDF)."""
    from calls.models import Attachment, BudgetLine

    application.lab = lab or lab_in(application.call.canceropole.code)
    application.requested_amount = Decimal(amount)
    application.duration_months = 12
    application.abstract = "Un résumé suffisamment long pour passer la vérification de longueur minimale."
    application.save()
    BudgetLine.objects.create(application=application, category="consumables", amount=Decimal(amount))
    Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.PROPOSAL,
        original_name="projet.pdf",
        path=f"applications/{application.pk}/test-{application.pk}.pdf",
        size=100,
        sha256="0" * 64,
        uploaded_by=application.applicant,
    )
    return application


def reviewer_for(call: Call, **user_fields):
    """A user in the call's pole pool, working in a lab of another pole (no conflict with GSO applicants)."""
    lab = lab_in("CLARA")
    person = PersonFactory(lab=lab)
    user = UserFactory(person=person, **user_fields)
    Reviewer.objects.create(canceropole=call.canceropole, user=user, expertise="immunologie, génomique")
    return user


def pdf_bytes(pages: int = 1) -> bytes:
    """A small valid PDF made by pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
