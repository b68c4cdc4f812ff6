"""Protokollsutdrag: a certified extract of one paragraph of a justerat protocol.

Both kinds are made from a sealed record, never from the live tables: the public
extract from the public version (made once, on the first request, then stored and
served as it is), the staff's extract, certified by name, from the original.
"""

import datetime
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.documents import archival, public_version
from meetings.documents.document import document
from meetings.documents.pdf import render_pdf
from meetings.models import ArchivedProtocol, Meeting, Protokollsutdrag, PublicProtocol, Rattelse
from meetings.rules.stored_files import removed_on_failure


class NotJusterat(Exception):
    """Only a justerat protocol can be extracted from."""


def _render(
    data: dict,
    number: int,
    *,
    archive: ArchivedProtocol,
    certified_by: str,
    on: datetime.date,
    rattelser: list[dict],
    sealed_by_organisation: bool = False,
) -> archival.Sealed:
    """A sealed PDF/A of paragraph `number` of the protocol document `data`, with
    its header, attendance and justering, the approved rättelser of the paragraph
    (each {approved_at, text}), and "Utdragsbestyrkande" naming who certifies it and
    when."""
    protocol = document(data)
    protocol["paragraphs"] = [p for p in protocol["paragraphs"] if p["number"] == number]
    meeting = archive.meeting
    context = {
        "protocol": protocol,
        "organisation": protocol["organisation"],
        "meeting": meeting,
        "approvals": public_version.approvals_for(meeting, archive.content_hash),
        "certified_by": certified_by,
        "certified_on": on,
        "rattelser": rattelser,
        # Certified by the seal alone: no line for a hand to sign.
        "sealed_by_organisation": sealed_by_organisation,
        "draft": False,
    }
    pdf = render_pdf("meetings/pdf/utdrag.html", context, pdf_variant="pdf/a-3a")
    return archival.seal(pdf, reason=_("Protokollsutdrag"), meeting=meeting)


def staff_extract(meeting: Meeting, number: int, *, certified_by: str, on: datetime.date) -> bytes:
    """An extract of any paragraph of the original (confidential ones too: staff give
    them to those entitled), certified by `certified_by`.

    Changes: stores it (a Protokollsutdrag of the original), so that whoever gets it
    can verify it at /verifiera/.
    """
    archive = ArchivedProtocol.objects.filter(meeting=meeting).first()
    if archive is None:
        raise NotJusterat(_("Only a justerat protocol can be extracted from."))
    corrections = Rattelse.objects.filter(
        meeting=meeting, paragraph__number=number, approved_at__isnull=False
    ).order_by("approved_at")
    sealed = _render(
        json.loads(archive.content),
        number,
        archive=archive,
        certified_by=certified_by,
        on=on,
        # The original's extract: each correction as written.
        rattelser=[{"approved_at": r.approved_at, "text": r.text} for r in corrections],
    )
    extract = Protokollsutdrag(
        original=archive,
        number=number,
        certified_by=certified_by,
        sha256=sealed.sha256,
    )
    with removed_on_failure() as keep, transaction.atomic():
        name = archival.file_name("protokollsutdrag", meeting, f"p{number}", "bestyrkt")
        archival.store(extract.pdf, sealed, name, keep)
        extract.save()
    return sealed.pdf


def public_extract(public: PublicProtocol, number: int) -> Protokollsutdrag | None:
    """The stored extract of public paragraph `number` of the public version, made
    and stored the first time; None if there is no such public paragraph.

    Changes: may create a Protokollsutdrag and its file.
    """
    if public.is_imported:
        # Justerat elsewhere: the seal here may not certify an extract of it.
        return None
    # An extract carries the paragraph's approved corrections: one stored before the
    # latest of them is not served (a new one is made and stored beside it).
    corrections = public_version.public_rattelser(public.meeting, number)
    stored = Protokollsutdrag.objects.filter(
        public_version=public, number=number, rattelser=len(corrections)
    ).first()
    if stored is not None:
        return stored
    data = public_version.load(public)
    if not any(p["number"] == number and not p["is_confidential"] for p in data["paragraphs"]):
        return None
    organisation = public.meeting.body.organisation.name
    certifier = _("%(organisation)s, by its electronic seal") % {"organisation": organisation}
    on = timezone.localdate()
    sealed = _render(
        data,
        number,
        archive=public.original,
        certified_by=certifier,
        on=on,
        rattelser=corrections,
        sealed_by_organisation=True,
    )
    extract = Protokollsutdrag(
        public_version=public, number=number, rattelser=len(corrections), sha256=sealed.sha256
    )
    try:
        with removed_on_failure() as keep, transaction.atomic():
            name = archival.file_name("protokollsutdrag", public.meeting, f"p{number}")
            archival.store(extract.pdf, sealed, name, keep)
            extract.save()
    except IntegrityError:  # another request stored it first: serve that one
        return Protokollsutdrag.objects.get(
            public_version=public, number=number, rattelser=len(corrections)
        )
    return extract
