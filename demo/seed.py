"""Deterministic demo data: the 7 real poles (from the reference data), organisations, people and one
account per persona of the portal. Idempotent: rows are matched on natural keys and brought back to
the state below, so running it twice leaves the same database.
"""

import hashlib
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.models import Membership, User
from accounts.services import membership_grant, user_upsert
from canceropoles.models import Canceropole, Organisation, Person, Region
from canceropoles.reference import load_network_reference
from cop_contracts.reference import load_indicator_catalogue
from demo.calls import seed_calls
from demo.cop import seed_cop
from demo.events import seed_events
from demo.funding import seed_funding

DEMO_DOMAIN = "demo.canceropoles.fr"
# The authenticator-app key of every demo account that must use a second factor (INCa staff, directors,
# the administrator): one entry in an authenticator app serves them all. `manage.py demo_totp` prints the
# current code for those without an app.
DEMO_TOTP_SECRET = "MNQW4Y3FOJXXA33MMVZS2ZDFNVXS2MRQ"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    persona: str
    inca: bool = False
    superuser: bool = False
    pole: str | None = None
    role: str | None = None
    orcid: str = ""
    lab: str | None = None

    @property
    def second_factor(self) -> bool:
        """INCa staff, directors and administrators must log in with a second factor (accounts.rules)."""
        return self.inca or self.superuser or self.role == Membership.Role.DIRECTOR


# Organisations. ROR identifiers are the real ones of these national bodies; the labs, their RNSR
# numbers and SIRET numbers are demo values of the right shape.
ORGANISATIONS = [
    {
        "name": "Institut national du cancer",
        "acronym": "INCa",
        "kind": "funder",
        "siret": "18551277700011",
        "region": "11",
        "city": "Boulogne-Billancourt",
    },
    {
        "name": "Centre national de la recherche scientifique",
        "acronym": "CNRS",
        "kind": "research_body",
        "ror": "02feahw73",
        "region": "11",
        "city": "Paris",
    },
    {
        "name": "Institut national de la santé et de la recherche médicale",
        "acronym": "Inserm",
        "kind": "research_body",
        "ror": "02vjkv261",
        "region": "11",
        "city": "Paris",
    },
    {
        "name": "Institut Curie",
        "acronym": "Curie",
        "kind": "cancer_centre",
        "ror": "04t0gwh46",
        "region": "11",
        "city": "Paris",
    },
    {
        "name": "Laboratoire démo d'oncologie moléculaire de Toulouse",
        "acronym": "LDOM-T",
        "kind": "lab",
        "rnsr": "201923451A",
        "region": "76",
        "city": "Toulouse",
    },
    {
        "name": "Laboratoire démo d'immunologie des tumeurs de Bordeaux",
        "acronym": "LDIT-B",
        "kind": "lab",
        "rnsr": "201923452B",
        "region": "75",
        "city": "Bordeaux",
    },
    {
        "name": "Laboratoire démo de biologie du cancer de Lyon",
        "acronym": "LDBC-L",
        "kind": "lab",
        "rnsr": "201923453C",
        "region": "84",
        "city": "Lyon",
    },
    {
        "name": "Laboratoire démo de génomique de Grenoble",
        "acronym": "LDG-G",
        "kind": "lab",
        "rnsr": "201923454D",
        "region": "84",
        "city": "Grenoble",
    },
    {"name": "Région Occitanie", "acronym": "", "kind": "funder", "region": "76", "city": "Toulouse"},
    {
        "name": "Ligue contre le cancer",
        "acronym": "Ligue",
        "kind": "association",
        "region": "11",
        "city": "Paris",
    },
]

ACCOUNTS = [
    DemoAccount(f"inca@{DEMO_DOMAIN}", "Claire", "Martin", "INCa staff", inca=True),
    DemoAccount(
        f"directeur.gso@{DEMO_DOMAIN}",
        "Pierre",
        "Durand",
        "Director, Cancéropôle Grand Sud-Ouest",
        pole="GSO",
        role=Membership.Role.DIRECTOR,
    ),
    DemoAccount(
        f"coordination.gso@{DEMO_DOMAIN}",
        "Sophie",
        "Bernard",
        "Coordinator, Cancéropôle Grand Sud-Ouest",
        pole="GSO",
        role=Membership.Role.COORDINATOR,
    ),
    DemoAccount(
        f"directrice.clara@{DEMO_DOMAIN}",
        "Isabelle",
        "Petit",
        "Director, CLARA",
        pole="CLARA",
        role=Membership.Role.DIRECTOR,
    ),
    DemoAccount(
        f"coordination.clara@{DEMO_DOMAIN}",
        "Thomas",
        "Robert",
        "Coordinator, CLARA",
        pole="CLARA",
        role=Membership.Role.COORDINATOR,
    ),
    DemoAccount(
        f"expert@{DEMO_DOMAIN}", "Nathalie", "Richard", "Reviewer", orcid="0009-0004-2718-2817", lab="LDBC-L"
    ),
    DemoAccount(
        f"chercheuse@{DEMO_DOMAIN}",
        "Camille",
        "Moreau",
        "Researcher (Toulouse)",
        orcid="0009-0001-1234-5677",
        lab="LDOM-T",
    ),
    DemoAccount(
        f"chercheur@{DEMO_DOMAIN}",
        "Julien",
        "Laurent",
        "Researcher (Lyon)",
        orcid="0009-0002-2345-6783",
        lab="LDG-G",
    ),
    DemoAccount(
        f"admin@{DEMO_DOMAIN}", "Admin", "Portail", "Back-office administrator (Django admin)", superuser=True
    ),
]


def _organisations() -> dict[str, Organisation]:
    regions = {r.insee_code: r for r in Region.objects.all()}
    by_key = {}
    for entry in ORGANISATIONS:
        fields = {k: v for k, v in entry.items() if k not in ("name", "region")}
        fields["region"] = regions[entry["region"]]
        organisation, _ = Organisation.objects.update_or_create(name=entry["name"], defaults=fields)
        by_key[entry["acronym"] or entry["name"]] = organisation
    return by_key


@transaction.atomic
def seed_network(*, password: str) -> list[DemoAccount]:
    """Reference data, organisations, people and the demo accounts. Returns the accounts created."""
    load_network_reference()
    organisations = _organisations()
    poles = {p.code: p for p in Canceropole.objects.all()}
    for account in ACCOUNTS:
        person = None
        if account.lab:
            lab = organisations[account.lab]
            person, _ = Person.objects.update_or_create(
                email=account.email,
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "orcid": account.orcid,
                    "lab": lab,
                },
            )
            person.canceropoles.set([poles["GSO" if lab.region.insee_code in ("75", "76") else "CLARA"]])
        user = user_upsert(
            email=account.email,
            first_name=account.first_name,
            last_name=account.last_name,
            password=password,
            is_inca_staff=account.inca,
            is_superuser=account.superuser,
            person=person,
        )
        if account.pole:
            membership_grant(user=user, canceropole=poles[account.pole], role=account.role)
        if account.second_factor:
            _second_factor(user)
    return ACCOUNTS


def _second_factor(user: User) -> None:
    """The demo authenticator-app key and a fixed set of unused recovery codes (same rows on every run)."""
    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": DEMO_TOTP_SECRET}}
    )
    seed = hashlib.sha256(f"recovery-codes:{user.email}".encode()).hexdigest()[:80]
    Authenticator.objects.update_or_create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        defaults={"data": {"seed": seed, "used_mask": 0}},
    )


def seed_all(*, password: str) -> list[DemoAccount]:
    """Everything ``seed_demo`` loads, in dependency order."""
    accounts = seed_network(password=password)
    load_indicator_catalogue()
    seed_cop(inca=User.objects.get(email=ACCOUNTS[0].email))
    seed_calls(inca=User.objects.get(email=ACCOUNTS[0].email))
    seed_events()
    seed_funding()
    return accounts
