"""The accessibility statement (tillgänglighetsredogörelse) that the law on
accessibility of digital public services (DOS-lagen, 2018:1937) asks of every
public-sector website, after the model of the supervisory authority, Digg: whether
the site complies, what is known not to be accessible, how to ask for content in
another form and to report a shortcoming, and where to complain. Its facts come from
the settings (the installation) and the organisation (its own contact)."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

DIGG_REPORT = "https://www.digg.se/tdosanmalan"
DIGG = "https://www.digg.se/"

# What is known not to be fully accessible, and why: kept here, beside the code that
# makes it, so that a fix removes its line.
SHORTCOMINGS = [
    _("Protocols imported from the archive before Paragraf (PDFs made in a word "
      "processor) are published as they were received: they may lack tags, a reading "
      "order and text alternatives."),
    _("Bilagor and handlingar are published as the secretary uploaded them (PDF, Word, "
      "Excel, images): Paragraf checks their type, not their accessibility."),
    _("The PDFs that Paragraf makes (protocols, kallelser, extracts, corrections) are "
      "tagged PDF/A-3a and PDF/UA-1 documents and pass the PDF/UA rules a program can "
      "check; the rules that need a person's judgement (that the reading order and the "
      "headings make sense when read aloud) have not been tested with users of "
      "screen readers."),
]  # fmt: skip


# The day this statement's text (the shortcomings above, the template) last changed:
# moved by the commit that changes it (Digg's model asks for the day it was updated).
STATEMENT_UPDATED_ON = datetime.date(2026, 12, 7)

# What the law does not cover (2018:1937, 9 §; Digg's model, "Innehåll som inte
# omfattas av lagstiftningen").
OUT_OF_SCOPE = [
    _("Office files (PDF, Word) published before 23 September 2018, among them "
      "protocols imported from the archive, unless they are needed for a matter still "
      "being handled."),
    _("Content from third parties that the organisation neither made, paid for nor "
      "controls, such as documents from other authorities attached to a matter."),
]  # fmt: skip


@dataclass
class Statement:
    responsible: str  # who stands behind the site
    email: str
    phone: str
    website: str
    assessed_on: datetime.date | None
    shortcomings: list
    organisation: Organisation | None = None
    service: str = ""  # the website the statement covers, by name and address
    updated_on: datetime.date = STATEMENT_UPDATED_ON
    out_of_scope: list = field(default_factory=lambda: OUT_OF_SCOPE)


def statement(organisation: Organisation | None = None) -> Statement:
    """The installation's statement, or an organisation's with its own contact (the
    installation's where the organisation gives none)."""
    try:
        assessed = datetime.date.fromisoformat(settings.ACCESSIBILITY_ASSESSED_ON)
    except ValueError:
        assessed = None
    host = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    updated = max(STATEMENT_UPDATED_ON, assessed) if assessed else STATEMENT_UPDATED_ON
    if organisation is not None:
        return Statement(
            service=_("%(name)s's protocols in Paragraf (%(host)s)")
            % {"name": organisation.name, "host": host},
            updated_on=updated,
            responsible=organisation.name,
            email=organisation.email or settings.ACCESSIBILITY_EMAIL,
            phone=organisation.phone or settings.ACCESSIBILITY_PHONE,
            website=organisation.website,
            assessed_on=assessed,
            shortcomings=SHORTCOMINGS,
            organisation=organisation,
        )
    return Statement(
        service=_("Paragraf, the protocol archive (%(host)s)") % {"host": host},
        updated_on=updated,
        responsible=settings.ACCESSIBILITY_OPERATOR,
        email=settings.ACCESSIBILITY_EMAIL,
        phone=settings.ACCESSIBILITY_PHONE,
        website="",
        assessed_on=assessed,
        shortcomings=SHORTCOMINGS,
    )
