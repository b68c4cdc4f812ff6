"""Protokollsutdrag: a certified extract of one paragraph of a justerat protocol."""

import datetime

from django.utils.translation import gettext as _

from meetings import sealing
from meetings.models import Approval, Meeting, Paragraph
from meetings.pdf import protocol_context, render_pdf


class NotJusterat(Exception):
    """Only a justerat protocol can be extracted from."""


def protokollsutdrag(paragraph: Paragraph, *, certified_by: str, on: datetime.date) -> bytes:
    """A sealed PDF/A of one paragraph with the protocol's header, attendance and
    justering, and the line "Utdragsbestyrkande" naming who certifies it and when.
    Made on request; nothing is stored."""
    meeting: Meeting = paragraph.meeting
    if not meeting.is_frozen:
        raise NotJusterat(_("Only a justerat protocol can be extracted from."))
    context = protocol_context(meeting)
    context["paragraphs"] = [p for p in context["paragraphs"] if p.pk == paragraph.pk]
    context["approvals"] = list(
        meeting.approvals.filter(
            decision=Approval.Decision.GODKANT,
            content_hash=meeting.archive.content_hash,
            rattelse__isnull=True,
        )
        .select_related("person")
        .order_by("created")
    )
    context.update({"certified_by": certified_by, "certified_on": on, "draft": False})
    pdf = render_pdf("meetings/pdf/utdrag.html", context, pdf_variant="pdf/a-3a")
    return sealing.seal(pdf, reason=_("Protokollsutdrag"), location=meeting.body.organisation.name)
