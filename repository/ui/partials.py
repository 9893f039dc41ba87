"""Format partials the UI includes.

Formats ship their partials on their own schedule; a missing one leaves its section to the
page's fallback instead of turning the whole page into a 500. A partial that exists but is
broken still raises, so its author sees the error.
"""

from django.template import TemplateDoesNotExist
from django.template.backends.django import Template
from django.template.loader import get_template


def optional_template(name: str) -> Template | None:
    """The compiled template, or None when the format names none or has not shipped it."""
    if not name:
        return None
    try:
        return get_template(name)
    except TemplateDoesNotExist:
        return None
