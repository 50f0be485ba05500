"""What the COP pages add to the main menu and to "my space" (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import MenuEntry, SpaceLink, register

register(
    MenuEntry(key="cop.dashboard", label=_("Indicators"), url_name="cop_contracts:dashboard", order=20),
    MenuEntry(
        key="cop.review",
        label=_("Review queue"),
        url_name="cop_contracts:review",
        perm="cop_contracts.review_values",
        order=21,
        active=("cop_contracts:review", "cop_contracts:review_decide"),
    ),
    MenuEntry(
        key="cop.reporting",
        label=_("COP reporting"),
        url_name="cop_contracts:mine",
        perm="cop_contracts.report_for_a_pole",
        order=22,
        active=(
            "cop_contracts:mine",
            "cop_contracts:pole",
            "cop_contracts:grid",
            "cop_contracts:pole_approval",
            "cop_contracts:approval",
        ),
    ),
    SpaceLink(
        card=SpaceLink.INCA,
        label=_("COP review queue"),
        url_name="cop_contracts:review",
        perm="cop_contracts.review_values",
        order=20,
    ),
    SpaceLink(
        card=SpaceLink.INCA, label=_("National dashboard"), url_name="cop_contracts:dashboard", order=21
    ),
    SpaceLink(
        card=SpaceLink.INCA,
        label=_("National dashboard with provisional figures"),
        url_name="cop_contracts:dashboard",
        perm="cop_contracts.view_provisional",
        query="basis=provisional",
        order=22,
    ),
    SpaceLink(
        card=SpaceLink.INCA,
        label=_("Set the COP targets"),
        url_name="cop_contracts:target_contracts",
        perm="cop_contracts.set_target",
        order=23,
    ),
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("COP reporting grid"),
        url_name="cop_contracts:pole",
        perm="cop_contracts.view_contract",
        order=20,
    ),
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("Approve the submitted COP values"),
        url_name="cop_contracts:pole_approval",
        perm="cop_contracts.approve_value",
        order=21,
    ),
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("COP values waiting for the director"),
        url_name="cop_contracts:pole_approval",
        perm="cop_contracts.follow_approval",
        order=21,
    ),
)
