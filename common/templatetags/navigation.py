"""``{% main_menu %}``: the main menu entries the user may follow, as the apps declared them."""

from django import template

from common.navigation import menu_for

register = template.Library()


@register.inclusion_tag("components/nav_items.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    return {
        "entries": [
            {"label": entry.label, "url": entry.url(), "current": entry.is_current(request)}
            for entry in menu_for(request.user)
        ]
    }
