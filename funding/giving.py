"""The poles' awarded grants in the 360Giving Data Standard (version 1.4): a JSON package and its CSV.

What is published: every published project (an award on a call, or a project entered directly) and every
mobility grant the pole awarded. Each grant names:

- ``id``: the portal's 360Giving prefix, the pole and the grant (``360G-canceropoles-GSO-P12``);
- ``fundingOrganization``: a list, one entry per funder whose money the grant draws on (the funders of
  its commitments), so a co-funded award names INCa and the region; a grant with no commitment recorded
  names the pole itself, which awarded it;
- ``recipientOrganization``: the lab, identified by SIRET or ROR where known; mobility grants go to a
  person, published as ``recipientIndividual`` without the name (an identifier and "Individual
  recipient");
- ``grantProgramme``: the call (reference and title), or the pole's mobility scheme;
- amounts in EUR, the award date, the planned dates, and the beneficiary location: the lab's region.

Organisation identifiers follow the Organisation Identifier scheme's shape, ``<list>-<identifier>``: the
lists used are in ``ORG_ID_LISTS``; an organisation with none of them gets the portal's own
``<prefix>-ORG-<id>``.

Reads are bounded: five queries whatever the number of grants. The package is cached (``GIVING_CACHE``)
under a key stamped with the latest change of what it reads, so an award or a payment shows at once.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from funding.models import Commitment, CommitmentKind

# Statuses of a mobility grant the pole awarded (projects.models.AWARDED_MOBILITY_STATUSES, by value).
AWARDED_MOBILITY = ("approved", "stay_done", "report_received", "paid")
ORG_ID_LISTS = {"siret": "FR-SIRET", "ror": "XI-ROR"}
VERSION = "1.4"
CACHE_SECONDS = 600


def prefix() -> str:
    return getattr(settings, "GIVING_PREFIX", "360G-canceropoles")


def organisation_id(organisation) -> str:
    for field, scheme in ORG_ID_LISTS.items():
        value = getattr(organisation, field, "")
        if value:
            return f"{scheme}-{value}"
    return f"{prefix()}-ORG-{organisation.pk}"


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _date(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0))


def _location(region) -> dict:
    location = {"id": f"FR-INSEE-REG-{region.insee_code}", "name": region.name, "countryCode": "FR"}
    if region.iso_code:
        location["geoCode"] = region.iso_code
    return location


def _organisation(organisation) -> dict:
    entry = {"id": organisation_id(organisation), "name": organisation.name}
    if organisation.city:
        entry["addressLocality"] = organisation.city
    if organisation.region_id:
        entry["addressRegion"] = organisation.region.name
    entry["addressCountry"] = "FR"
    if organisation.website:
        entry["url"] = organisation.website
    return entry


def _pole_as_funder(pole) -> dict:
    return {"id": f"{prefix()}-POLE-{pole.code}", "name": pole.name}


def _funders(commitments: list[Commitment], pole) -> list[dict]:
    seen: dict[int, object] = {}
    for commitment in commitments:
        organisation = commitment.allocation.funder.organisation
        seen.setdefault(organisation.pk, organisation)
    if not seen:
        return [_pole_as_funder(pole)]
    return [{"id": organisation_id(o), "name": o.name} for o in sorted(seen.values(), key=lambda o: o.name)]


@dataclass
class Sources:
    projects: list
    mobility: list
    commitments_by_project: dict
    commitments_by_grant: dict


def _sources() -> Sources:
    """Every published grant and the commitments behind it, in five queries."""
    project_model = Commitment._meta.get_field("project").related_model
    grant_model = Commitment._meta.get_field("mobility_grant").related_model
    projects = list(
        project_model.objects.filter(published_at__isnull=False)
        .exclude(status="cancelled")
        .select_related("canceropole", "call", "lab__region")
        .order_by("canceropole__code", "id")
    )
    grants = list(
        grant_model.objects.filter(status__in=AWARDED_MOBILITY)
        .select_related("canceropole", "session", "home_lab__region")
        .order_by("canceropole__code", "id")
    )
    by_project: dict[int, list] = {}
    by_grant: dict[int, list] = {}
    commitments = Commitment.objects.filter(
        kind__in=[CommitmentKind.AWARD, CommitmentKind.PROJECT, CommitmentKind.MOBILITY]
    ).select_related("allocation__funder__organisation")
    for commitment in commitments.filter(project__in=projects):
        by_project.setdefault(commitment.project_id, []).append(commitment)
    for commitment in commitments.filter(mobility_grant__in=grants):
        by_grant.setdefault(commitment.mobility_grant_id, []).append(commitment)
    return Sources(projects, grants, by_project, by_grant)


def _project_grant(project, commitments) -> dict:
    pole = project.canceropole
    grant = {
        "id": f"{prefix()}-{pole.code}-P{project.pk}",
        "title": project.title,
        "description": (
            f"{project.call.title_fr} ({project.call.reference}) – {project.title}"
            if project.call_id
            else f"{pole.short_name} – {project.title}"
        ),
        "currency": "EUR",
        "amountAwarded": _number(project.amount_awarded),
        "awardDate": _date(project.published_at),
        "fundingOrganization": _funders(commitments, pole),
        "dateModified": timezone.localtime(project.updated_at).isoformat(),
    }
    if project.lab_id:
        grant["recipientOrganization"] = [_organisation(project.lab)]
        if project.lab.region_id:
            grant["beneficiaryLocation"] = [_location(project.lab.region)]
    else:
        grant["recipientIndividual"] = {"id": f"{grant['id']}-RECIPIENT", "name": "Individual recipient"}
    if project.start_date:
        planned = {"startDate": project.start_date.isoformat()}
        if project.end_date:
            planned["endDate"] = project.end_date.isoformat()
            planned["duration"] = _months(project.start_date, project.end_date)
        grant["plannedDates"] = [planned]
    if project.call_id:
        grant["grantProgramme"] = [{"code": project.call.reference, "title": project.call.title_fr}]
    grant["fromOpenCall"] = "Yes" if project.call_id else "No"
    return grant


def _mobility_grant(mobility, commitments) -> dict:
    pole = mobility.canceropole
    grant_id = f"{prefix()}-{pole.code}-M{mobility.pk}"
    amount = mobility.amount_approved or mobility.amount_requested
    grant = {
        "id": grant_id,
        "title": f"Mobility grant: stay at {mobility.host_institution}",
        "description": f"{pole.short_name} mobility grant for a research stay at {mobility.host_institution}"
        f" ({mobility.host_country}), {mobility.duration_days} days.",
        "currency": "EUR",
        "amountAwarded": _number(amount),
        "awardDate": _date(mobility.decided_at or mobility.created_at),
        "recipientIndividual": {"id": f"{grant_id}-RECIPIENT", "name": "Individual recipient"},
        "fundingOrganization": _funders(commitments, pole),
        "grantProgramme": [
            {
                "code": f"{pole.code}-MOBILITY-{mobility.session.year}",
                "title": f"{pole.short_name} – mobilité",
            }
        ],
        "plannedDates": [
            {
                "startDate": mobility.start_date.isoformat(),
                "endDate": mobility.end_date.isoformat(),
                "duration": _months(mobility.start_date, mobility.end_date),
            }
        ],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(mobility.updated_at).isoformat(),
    }
    if mobility.home_lab.region_id:
        grant["beneficiaryLocation"] = [_location(mobility.home_lab.region)]
    return grant


def grants() -> list[dict]:
    sources = _sources()
    items = [_project_grant(p, sources.commitments_by_project.get(p.pk, [])) for p in sources.projects]
    items += [_mobility_grant(g, sources.commitments_by_grant.get(g.pk, [])) for g in sources.mobility]
    return items


def package(*, base_url: str = "") -> dict:
    """The 360Giving package of every published grant of the network."""
    today = timezone.localdate().isoformat()
    data = {
        "version": VERSION,
        "title": "Cancéropôles – grants awarded",
        "description": "Grants awarded by the 7 cancéropôles (calls for proposals, projects, mobility "
        "grants), with the funders whose money each grant draws on.",
        "identifier": f"{prefix()}-package",
        "issued": today,
        "modified": timezone.localtime().isoformat(),
        "publisher": {"name": "Réseau des cancéropôles", "identifier": prefix()},
        "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "grants": grants(),
    }
    if base_url:
        data["downloadURL"] = base_url
    return data


# The flat (spreadsheet) form: one row per grant, lists numbered as the standard's CSV does.

CSV_COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: (g.get("plannedDates") or [{}])[0].get("startDate", "")),
    ("Planned Dates:End Date", lambda g: (g.get("plannedDates") or [{}])[0].get("endDate", "")),
    ("Planned Dates:Duration (months)", lambda g: (g.get("plannedDates") or [{}])[0].get("duration", "")),
    ("Recipient Org:Identifier", lambda g: (g.get("recipientOrganization") or [{}])[0].get("id", "")),
    ("Recipient Org:Name", lambda g: (g.get("recipientOrganization") or [{}])[0].get("name", "")),
    ("Recipient Org:City", lambda g: (g.get("recipientOrganization") or [{}])[0].get("addressLocality", "")),
    ("Recipient Org:Region", lambda g: (g.get("recipientOrganization") or [{}])[0].get("addressRegion", "")),
    (
        "Recipient Org:Country",
        lambda g: (g.get("recipientOrganization") or [{}])[0].get("addressCountry", ""),
    ),
    ("Recipient Ind:Identifier", lambda g: (g.get("recipientIndividual") or {}).get("id", "")),
    ("Recipient Ind:Name", lambda g: (g.get("recipientIndividual") or {}).get("name", "")),
    ("Grant Programme:Code", lambda g: (g.get("grantProgramme") or [{}])[0].get("code", "")),
    ("Grant Programme:Title", lambda g: (g.get("grantProgramme") or [{}])[0].get("title", "")),
    ("Beneficiary Location:Name", lambda g: (g.get("beneficiaryLocation") or [{}])[0].get("name", "")),
    (
        "Beneficiary Location:Country Code",
        lambda g: (g.get("beneficiaryLocation") or [{}])[0].get("countryCode", ""),
    ),
    (
        "Beneficiary Location:Geographic Code",
        lambda g: (g.get("beneficiaryLocation") or [{}])[0].get("geoCode", ""),
    ),
    ("Last Modified", lambda g: g["dateModified"]),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    # A spreadsheet would run a cell starting with one of these as a formula: keep it text.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(data: dict) -> str:
    """The package as the standard's CSV: UTF-8, commas, one row per grant, funders numbered
    (``Funding Org:0:Identifier``…) as many as the most co-funded grant has."""
    items = data["grants"]
    most = max((len(g["fundingOrganization"]) for g in items), default=1)
    header = [title for title, _ in CSV_COLUMNS]
    for i in range(most):
        header += [f"Funding Org:{i}:Identifier", f"Funding Org:{i}:Name"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for grant in items:
        row = [_safe(read(grant)) for _, read in CSV_COLUMNS]
        for funder in grant["fundingOrganization"]:
            row += [_safe(funder["id"]), _safe(funder["name"])]
        row += [""] * (len(header) - len(row))
        writer.writerow(row)
    return buffer.getvalue()


def _stamp() -> str:
    """What the package depends on, in three small queries: the latest change and the count of each
    table it reads, so that any award, commitment or grant changed (or removed) makes a new key."""
    project_model = Commitment._meta.get_field("project").related_model
    grant_model = Commitment._meta.get_field("mobility_grant").related_model
    parts = []
    for model in (project_model, grant_model, Commitment):
        figures = model.objects.aggregate(latest=Max("updated_at"), count=Count("pk"))
        parts.append(f"{figures['latest'] and figures['latest'].timestamp()}:{figures['count']}")
    return "-".join(parts)


def cached(kind: str) -> str:
    """The package as JSON (``kind="json"``) or CSV (``"csv"``), from the cache when nothing changed."""
    key = f"funding:360giving:{kind}:{timezone.localdate().isoformat()}:{_stamp()}"
    body = cache.get(key)
    if body is None:
        data = package()
        body = json.dumps(data, ensure_ascii=False, indent=1) if kind == "json" else as_csv(data)
        cache.set(key, body, CACHE_SECONDS)
    return body
