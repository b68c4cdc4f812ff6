"""Filters for protocol text: escaped, with masked spans marked (meetings.rules.masking)."""

from django import template
from django.utils.html import format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe

from meetings import models
from meetings.rules import masking
from meetings.rules.masking import highlighted

register = template.Library()


@register.filter
def masked(value) -> SafeString:
    """A line of protocol text (a title, a name), its masked spans marked."""
    return highlighted(str(value or ""))


@register.filter
def as_words(value) -> str:
    """A line of protocol text where no marking can be shown (an <option>, a hidden
    label): a masked span as its words, without the markers."""
    return masking.as_words(str(value or ""))


@register.filter
def protocol_text(value) -> SafeString:
    """Protocol text in paragraphs (blank lines) and lines, its masked spans marked."""
    return mark_safe(linebreaks(highlighted(str(value or "")), autoescape=False))


@register.filter
def paragraph_url(protocol_url: str, number: int) -> str:
    """A numbered paragraph's public address from its protocol's (models.paragraph_url)."""
    return models.paragraph_url(protocol_url, number)


@register.filter
def css_string(value) -> str:
    """A value inside a CSS string ("…"), e.g. a running header: backslash escapes
    as CSS reads them, so that & " < > print as themselves (escapejs's \\u0026 is a
    JavaScript escape, which CSS prints literally)."""
    out = []
    for char in str(value or ""):
        if char.isalnum() or char in " .,-–()§:/'":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return mark_safe("".join(out))


@register.simple_tag
def select_options(choices, selected) -> SafeString:
    """The <option>s of a filter's <select>, from (value, label) pairs, the one whose
    value is `selected` marked. Written at once rather than by a template loop: the
    search page lists every organisation, and its loop was a third of the page's
    rendering (bench/)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value == selected else "", label) for value, label in choices),
    )


SELECTED = mark_safe(" selected")
