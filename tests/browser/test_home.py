"""The public home page in a real browser: French first, the English switch, the demo logins, the keyboard."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Membership
from canceropoles.models import Canceropole
from demo.seed import ACCOUNTS
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

OFFICIAL_NAMES = [
    "Cancéropôle Est",
    "Cancéropôle Grand Ouest",
    "Cancéropôle Grand Sud-Ouest",
    "Cancéropôle Île-de-France",
    "Cancéropôle Lyon Auvergne-Rhône-Alpes",
    "Cancéropôle Nord-Ouest",
    "Canceropôle Provence-Alpes-Côte d'Azur",
]


def test_home_page_is_french_with_the_seven_poles_for_an_english_speaking_browser(page):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le réseau des cancéropôles")
    poles = page.get_by_role("region", name="Les 7 cancéropôles").get_by_role("heading", level=3)
    assert sorted(poles.all_inner_texts()) == sorted(OFFICIAL_NAMES)


def test_language_switch_shows_the_portal_in_english_on_the_same_page(page, live_server):
    page.goto("/")
    switch = page.get_by_role("banner").locator("form.language-switch")

    switch.get_by_label("Langue").select_option("en")
    with page.expect_navigation():
        switch.get_by_role("button", name="Changer de langue").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("The network of the cancéropôles")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    expect(switch.get_by_label("Language")).to_have_value("en")


def _role_heading(account) -> str:
    """The heading of the role card "my space" shows first for a demo account, in French."""
    if account.inca:
        return "Personnel de l'INCa"
    if account.pole:
        with translation.override("fr"):
            role = str(Membership.Role(account.role).label)
        return f"{role} – {Canceropole.objects.get(code=account.pole).name}"
    return "Chercheur ou chercheuse"


def test_every_demo_login_printed_by_seed_demo_lands_on_my_space_showing_its_role(page, live_server):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    director = next(a for a in ACCOUNTS if a.pole == "GSO" and a.role == Membership.Role.DIRECTOR)

    for account in [director, *(a for a in ACCOUNTS if a != director)]:
        assert account.email in output.getvalue()
        page.context.clear_cookies()

        login(page, live_server, account.email)

        expect(page).to_have_url(f"{live_server.url}{reverse('accounts:my_space')}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
        expect(page.get_by_role("heading", level=3).first).to_have_text(_role_heading(account))
        if account == director:
            expect(
                page.get_by_role("heading", name="Direction – Cancéropôle Grand Sud-Ouest")
            ).to_be_visible()
            log_out = page.get_by_role("banner").get_by_role("button", name="Se déconnecter")
            expect(log_out).to_be_visible()
            # Styled as a link: white text straight on the dark header, not on a white button.
            expect(log_out).to_have_css("color", "rgb(255, 255, 255)")
            expect(log_out).to_have_css("background-color", "rgba(0, 0, 0, 0)")


def test_first_tab_focuses_the_skip_link_which_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")

    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Aller au contenu principal")
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
