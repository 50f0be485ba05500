"""factory-boy factories of events. Defaults are plain: a published seminar of pole A (GSO) in 30 days,
20 places, registration open now; registrations hold a place; nothing is recorded as a transition
(tests that need the workflow's records go through the services)."""

from datetime import timedelta

import factory
from django.utils import timezone

from canceropoles.models import Canceropole
from events.models import CareerStage, Event, EventKind, EventStatus, Registration, RegistrationStatus


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    canceropole = factory.LazyFunction(lambda: Canceropole.objects.get(code="GSO"))
    kind = EventKind.SEMINAR
    title_fr = factory.Sequence(lambda n: f"Séminaire test {n}")
    title_en = factory.Sequence(lambda n: f"Test seminar {n}")
    description_fr = "Description en français."
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=7))
    venue = "Amphithéâtre A, Oncopole"
    city = "Toulouse"
    capacity = 20
    status = EventStatus.PUBLISHED

    @factory.post_generation
    def co_organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_organisers.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"participant{n}@test.canceropoles.fr")
    career_stage = CareerStage.RESEARCHER
    status = RegistrationStatus.REGISTERED
