"""Masked spans: personal data inside an otherwise public paragraph.

The secretary writes `[[Kim Andersson, född 1991]]` in a paragraph's text, title,
decision, task or reservation; the original protocol keeps the words (shown
highlighted to the secretary and the justerare, who approve the marking as part of
the content), and the public version says "[uppgift borttagen]" instead. The markup
is plain text, so it is in the content hash, the JSON export and every import.

Masking fails closed: a `[[` without its `]]` removes everything after it. Forms
refuse such text first (`validate_masks`), so the secretary hears of it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

OPEN, CLOSE = "[[", "]]"
# What the public version prints in place of a masked span. Protocol text, so
# Swedish whatever the reader's language.
REMOVED = "[uppgift borttagen]"
_SPAN = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


def mask(text: str) -> str:
    """`text` with every masked span replaced by REMOVED, and anything after an
    unclosed `[[` too."""
    masked = _SPAN.sub(REMOVED, text)
    unclosed = masked.find(OPEN)
    return masked if unclosed < 0 else masked[:unclosed] + REMOVED


def has_masks(text: str) -> bool:
    return OPEN in text


def mask_all(value):
    """`value` (JSON data: dicts, lists, strings …) with every string masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_all(item) for item in value]
    return value


def validate_masks(text: str) -> None:
    """Every `[[` has its `]]`, spans do not nest and hold some text."""
    depth = 0
    for token in re.findall(r"\[\[|\]\]", text):
        depth += 1 if token == OPEN else -1
        if depth not in (0, 1):
            break
    if depth != 0:
        raise ValidationError(
            _("A masking is not closed: each [[ needs its ]], and maskings cannot be nested."),
            code="masks",
        )
    if any(not span.strip() for span in _SPAN.findall(text)):
        raise ValidationError(_("An empty masking [[ ]]: mark the words to mask."), code="masks")


def as_words(text: str) -> str:
    """`text` as those inside read it where no marking can be shown (an e-mail, a
    drop-down's option): each masked span's words without the markers."""
    return _SPAN.sub(lambda match: match.group(1), text)


def pieces(text: str) -> list[tuple[str, bool]]:
    """`text` cut into its plain and its masked pieces, in order: (words, masked)."""
    out: list[tuple[str, bool]] = []
    end = 0
    for match in _SPAN.finditer(text):
        out.append((text[end : match.start()], False))
        out.append((match.group(1), True))
        end = match.end()
    out.append((text[end:], False))
    return [(words, masked) for words, masked in out if words]


def marked(words: str) -> str:
    """Masked words as HTML for those inside: marked, and said to be masked in the
    public version (to a screen reader too, through the title)."""
    title = escape(_("masked in the public version"))
    return f'<mark class="masked" title="{title}">{escape(words)}</mark>'


def highlighted(text: str) -> SafeString:
    """`text` escaped, each masked span's words in <mark class="masked"> (without
    the markers) for the original and for those who approve it. Line by line, so
    that a span over a line break leaves well-formed HTML after `linebreaks`."""

    def mark(words: str) -> str:
        return "\n".join(
            marked(line) if line.strip() else escape(line) for line in words.split("\n")
        )

    out: list[str] = []
    end = 0
    for match in _SPAN.finditer(text):
        out.append(escape(text[end : match.start()]))
        out.append(mark(match.group(1)))
        end = match.end()
    out.append(escape(text[end:]))
    return mark_safe("".join(out))
