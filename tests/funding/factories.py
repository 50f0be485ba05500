"""Factories of the funding, follow-up and mobility tests. Defaults are plain: a regional funder, an
allocation of pole A (GSO) for 2026, a project of pole A entered directly and unpublished; nothing
committed, scheduled or paid unless a test asks."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from canceropoles.models import Canceropole, Organisation
from funding.models import Allocation, Commitment, CommitmentKind, Funder, FunderKind
from projects.models import (
    MobilityGrant,
    MobilitySession,
    Outcome,
    OutcomeKind,
    ProgressReport,
    Project,
    ReportKind,
)
from tests.factories import OrganisationFactory, UserFactory


def pole(code: str = "GSO") -> Canceropole:
    return Canceropole.objects.get(code=code)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=Organisation.Kind.FUNDER,
        name=factory.Sequence(lambda n: f"Région test {n}"),
    )
    kind = FunderKind.REGION


def inca_funder() -> Funder:
    organisation, _ = Organisation.objects.get_or_create(
        name="Institut national du cancer", defaults={"kind": Organisation.Kind.FUNDER, "acronym": "INCa"}
    )
    funder, _ = Funder.objects.get_or_create(organisation=organisation, defaults={"kind": FunderKind.INCA})
    return funder


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    funder = factory.SubFactory(FunderFactory)
    canceropole = factory.LazyFunction(pole)
    year = 2026
    amount = Decimal("100000.00")
    purpose = "Soutien aux actions du cancéropôle"


class CommitmentFactory(factory.django.DjangoModelFactory):
    """An "other expense" commitment; tests that need another kind say so."""

    class Meta:
        model = Commitment

    allocation = factory.SubFactory(AllocationFactory)
    kind = CommitmentKind.OTHER
    label = "Dépense test"
    amount = Decimal("1000.00")
    committed_on = factory.LazyFunction(timezone.localdate)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project of pole A entered directly (no call), unpublished, with a lead."""

    class Meta:
        model = Project

    canceropole = factory.LazyFunction(pole)
    title = factory.Sequence(lambda n: f"Projet financé test {n}")
    lead = factory.SubFactory(UserFactory)
    amount_awarded = Decimal("20000.00")
    start_date = date(2026, 1, 1)
    end_date = date(2026, 12, 31)


class OutcomeFactory(factory.django.DjangoModelFactory):
    """A publication with a DOI, in 2026."""

    class Meta:
        model = Outcome

    project = factory.SubFactory(ProjectFactory)
    kind = OutcomeKind.PUBLICATION
    title = factory.Sequence(lambda n: f"Publication test {n}")
    year = 2026
    doi = factory.Sequence(lambda n: f"10.1000/test.{n}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    kind = ReportKind.PROGRESS
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class MobilitySessionFactory(factory.django.DjangoModelFactory):
    """A session of pole A open today, with a 2,500 € ceiling."""

    class Meta:
        model = MobilitySession

    canceropole = factory.LazyFunction(pole)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    number = factory.Sequence(lambda n: n + 1)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    ceiling = Decimal("2500.00")


class MobilityGrantFactory(factory.django.DjangoModelFactory):
    """An application (status applied) in a session of pole A."""

    class Meta:
        model = MobilityGrant

    session = factory.SubFactory(MobilitySessionFactory)
    canceropole = factory.SelfAttribute("session.canceropole")
    applicant = factory.SubFactory(UserFactory)
    home_lab = factory.SubFactory(OrganisationFactory)
    host_institution = "Deutsches Krebsforschungszentrum"
    host_city = "Heidelberg"
    host_country = "DE"
    purpose = "Apprendre une technique d'imagerie."
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=40))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=70))
    amount_requested = Decimal("2000.00")
