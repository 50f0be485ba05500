"""factory-boy factories. Defaults are plain: no roles, no memberships, nothing a test did not ask for."""

import factory
from django.conf import settings

from accounts.models import Membership, User
from canceropoles.models import Canceropole, Organisation, Person, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["insee_code"]

    # Letters, so that a test region never takes the code of a real one (INSEE codes are digits).
    insee_code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Région test {n}")
    kind = Region.Kind.METROPOLITAN


class CanceropoleFactory(factory.django.DjangoModelFactory):
    """A synthetic pole (the 7 real ones come from the reference data)."""

    class Meta:
        model = Canceropole

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Cancéropôle test {n}")
    short_name = factory.Sequence(lambda n: f"Test {n}")
    seat_city = "Testville"
    website = factory.Sequence(lambda n: f"https://test-{n}.example.org")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Laboratoire test {n}")
    kind = Organisation.Kind.LAB


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.canceropoles.fr")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(settings.DEMO_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    canceropole = factory.Iterator(Canceropole.objects.order_by("code"))
    role = Membership.Role.COORDINATOR
