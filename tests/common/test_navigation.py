"""The main menu and "my space" are built from what each app declares, gated by its rules."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from common.navigation import (
    MenuEntry,
    Registry,
    SpaceCard,
    SpaceLink,
    menu_for,
    registry,
    space_cards_for,
    space_links_for,
)

pytestmark = pytest.mark.django_db


def _menu_labels(user) -> list[str]:
    with translation.override("en"):
        return [str(entry.label) for entry in menu_for(user)]


def test_menu_of_anonymous_visitor_has_public_entries_only(anonymous):
    assert _menu_labels(anonymous) == ["Home", "Calls for proposals", "Indicators", "Events"]


def test_menu_of_inca_staff_has_the_review_queue_and_no_reporting(inca_staff):
    assert _menu_labels(inca_staff) == [
        "Home",
        "Calls for proposals",
        "Indicators",
        "Review queue",
        "Events",
        "Organise events",
        "My space",
    ]


def test_menu_of_coordinator_has_reporting_and_no_review_queue(coordinator_a):
    assert _menu_labels(coordinator_a) == [
        "Home",
        "Calls for proposals",
        "Indicators",
        "COP reporting",
        "Events",
        "Organise events",
        "My space",
    ]


def test_menu_of_researcher_has_no_role_entry(researcher):
    assert _menu_labels(researcher) == ["Home", "Calls for proposals", "Indicators", "Events", "My space"]


def test_menu_entry_is_current_on_the_pages_of_its_namespace_or_names(coordinator_a, pole_a):
    entry = registry.menu["cop.reporting"]
    request = RequestFactory().get("/")
    request.resolver_match = resolve(reverse("cop_contracts:pole", args=[pole_a.code]))

    assert entry.is_current(request) is True
    assert registry.menu["cop.dashboard"].is_current(request) is False


def test_main_menu_tag_marks_the_current_page(client, coordinator_a):
    client.force_login(coordinator_a)

    html = client.get(reverse("cop_contracts:dashboard")).content.decode()

    assert f'<a href="{reverse("cop_contracts:dashboard")}" aria-current="page">' in html
    assert f'<a href="{reverse("cop_contracts:mine")}">' in html


def test_pole_links_are_checked_against_the_pole_itself(director_a, pole_a, pole_b):
    own = space_links_for(director_a, SpaceLink.POLE, pole=pole_a)
    other = space_links_for(director_a, SpaceLink.POLE, pole=pole_b)

    with translation.override("en"):
        assert [str(label) for label, _url in own] == [
            "COP reporting grid",
            "Approve the submitted COP values",
            "Calls for proposals of the pole",
            "Events of the pole",
            "Budget",
            "Funded projects",
            "Mobility grants",
        ]
    assert own[1][1] == reverse("cop_contracts:pole_approval", args=[pole_a.code])
    assert other == []


def test_coordinator_follows_the_approval_without_the_director_link(coordinator_a, pole_a):
    links = space_links_for(coordinator_a, SpaceLink.POLE, pole=pole_a)

    with translation.override("en"):
        assert [str(label) for label, _url in links] == [
            "COP reporting grid",
            "COP values waiting for the director",
            "Calls for proposals of the pole",
            "Events of the pole",
            "Budget",
            "Funded projects",
            "Mobility grants",
        ]


def test_inca_links_include_the_provisional_dashboard_with_its_query(inca_staff):
    links = space_links_for(inca_staff, SpaceLink.INCA)

    assert [url for _label, url in links] == [
        reverse("cop_contracts:review"),
        reverse("cop_contracts:dashboard"),
        reverse("cop_contracts:dashboard") + "?basis=provisional",
        reverse("cop_contracts:target_contracts"),
        reverse("calls:list"),
        reverse("events:manage"),
        reverse("funding:grants"),
    ]


def test_registry_refuses_unknown_cards_and_objects():
    with pytest.raises(ValueError, match="Unknown card"):
        SpaceLink(card="elsewhere", label="x", url_name="home")
    with pytest.raises(TypeError):
        Registry().register("not an entry")


def test_registering_the_same_key_again_replaces_the_entry():
    local = Registry()
    local.register(MenuEntry(key="k", label="one", url_name="home"))
    local.register(MenuEntry(key="k", label="two", url_name="home"))

    assert [entry.label for entry in local.menu.values()] == ["two"]


def test_space_card_is_shown_with_its_context_only_to_users_with_its_permission(researcher, monkeypatch):
    card = SpaceCard(
        key="test.card",
        title="Test card",
        template="components/test_card.html",
        perm="cop_contracts.review_values",
        context=lambda user: {"greeting": f"hello {user.email}"},
    )
    monkeypatch.setattr(registry, "cards", {card.key: card})  # the apps' own cards aside

    assert space_cards_for(researcher) == []
    researcher.is_inca_staff = True
    researcher.save()
    researcher = type(researcher).objects.get(pk=researcher.pk)
    [item] = space_cards_for(researcher)
    assert item["card"] is card
    assert item["greeting"] == f"hello {researcher.email}"


def test_my_space_renders_a_declared_card(client, inca_staff, monkeypatch, tmp_path, settings):
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "test_card.html").write_text("<p>{{ item.greeting }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    card = SpaceCard(
        key="test.card",
        title="Test card",
        template="components/test_card.html",
        context=lambda user: {"greeting": "Bonjour"},
    )
    monkeypatch.setattr(registry, "cards", {card.key: card})  # the apps' own cards aside
    client.force_login(inca_staff)

    html = client.get(reverse("accounts:my_space")).content.decode()

    assert '<h2 id="card-1">Test card</h2>' in html
    assert "<p>Bonjour</p>" in html
