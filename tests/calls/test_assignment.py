"""The reviewer pool and the suggested balanced assignment: conflicts respected, loads capped and even."""

from collections import Counter

import pytest

from calls import selectors, services
from calls.assignment import conflict_reasons, suggest_assignments
from calls.models import Call, Reviewer, TeamMember
from tests.calls.factories import ApplicationFactory, complete, lab_in, reviewer_for
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def eligible(call, staff, n):
    applications = []
    for _ in range(n):
        application = complete(ApplicationFactory(call=call))
        services.application_submit(application=application, by=application.applicant)
        applications.append(services.application_screen(application=application, by=staff, eligible=True))
    return applications


def test_suggest_assignments_balances_loads_and_skips_conflicts(call_a, coordinator_a):
    applications = eligible(call_a, coordinator_a, 3)
    reviewers = [reviewer_for(call_a) for _ in range(3)]
    # The third reviewer is on the first application's team: never suggested for it.
    TeamMember.objects.create(
        application=applications[0], first_name="A", last_name="B", email=reviewers[2].email, role="partner"
    )

    suggestions, short = suggest_assignments(
        call=call_a, pool=selectors.reviewer_pool(canceropole_id=call_a.canceropole_id)
    )

    pairs = {(s.application.pk, s.reviewer.pk) for s in suggestions}
    assert len(pairs) == 6  # 3 applications × 2 reviewers
    assert (applications[0].pk, reviewers[2].pk) not in pairs
    assert sorted(Counter(s.reviewer.pk for s in suggestions).values()) == [2, 2, 2]
    assert short == []


def test_suggest_assignments_respects_the_load_cap_and_reports_shortfalls(call_a, coordinator_a):
    Call.objects.filter(pk=call_a.pk).update(reviewer_load_cap=1)
    call_a.refresh_from_db()
    applications = eligible(call_a, coordinator_a, 2)
    reviewer_for(call_a)
    reviewer_for(call_a)

    suggestions, short = suggest_assignments(
        call=call_a, pool=selectors.reviewer_pool(canceropole_id=call_a.canceropole_id)
    )

    assert Counter(s.reviewer.pk for s in suggestions).most_common(1)[0][1] == 1
    assert len(suggestions) == 2
    assert {a.pk for a in short} == {a.pk for a in applications}


def test_assignments_apply_creates_every_suggestion(call_a, coordinator_a):
    applications = eligible(call_a, coordinator_a, 2)
    reviewer_for(call_a)
    reviewer_for(call_a)
    suggestions, _short = suggest_assignments(
        call=call_a, pool=selectors.reviewer_pool(canceropole_id=call_a.canceropole_id)
    )

    services.assignments_apply(pairs=[(s.application, s.reviewer) for s in suggestions], by=coordinator_a)

    assert sorted(a.assignments.count() for a in applications) == [2, 2]


def test_conflict_reasons_when_the_call_requires_outside_experts(call_a, coordinator_a):
    Call.objects.filter(pk=call_a.pk).update(outside_experts_required=True)
    call_a.refresh_from_db()
    (application,) = eligible(call_a, coordinator_a, 1)
    insider = UserFactory(person=PersonFactory(lab=lab_in("GSO")))
    outsider = UserFactory(person=PersonFactory(lab=lab_in("CLARA")))

    assert len(conflict_reasons(application=application, reviewer=insider, call=call_a)) == 1
    assert conflict_reasons(application=application, reviewer=outsider, call=call_a) == []


def test_conflict_reasons_include_the_applicant_and_the_parent_organisation(call_a, coordinator_a):
    from tests.factories import OrganisationFactory

    (application,) = eligible(call_a, coordinator_a, 1)
    university = OrganisationFactory(name="Université test", kind="university")
    application.lab.parent = university
    application.lab.save()
    sibling_lab = OrganisationFactory(name="Autre labo", parent=university)
    colleague = UserFactory(person=PersonFactory(lab=sibling_lab))

    assert conflict_reasons(application=application, reviewer=application.applicant, call=call_a) != []
    assert conflict_reasons(application=application, reviewer=colleague, call=call_a) != []


def test_reviewer_add_updates_the_expertise_of_a_pool_member(pole_a, coordinator_a, researcher):
    services.reviewer_add(canceropole=pole_a, user=researcher, expertise="génomique", by=coordinator_a)

    services.reviewer_add(
        canceropole=pole_a, user=researcher, expertise="immunologie, lymphomes", by=coordinator_a
    )

    entry = Reviewer.objects.get()
    assert entry.keyword_list == ["immunologie", "lymphomes"]


def test_assignments_apply_sends_one_email_per_reviewer(
    call_a, coordinator_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    applications = eligible(call_a, coordinator_a, 3)
    reviewer = reviewer_for(call_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_apply(pairs=[(a, reviewer) for a in applications], by=coordinator_a)

    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "3 applications" in mail.outbox[0].body
