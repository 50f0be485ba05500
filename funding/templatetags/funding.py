from django import template

from funding.views import describe as describe_commitment

register = template.Library()


@register.filter
def describe(commitment) -> str:
    """What a commitment pays for, in words (funding.views.describe)."""
    return describe_commitment(commitment)
