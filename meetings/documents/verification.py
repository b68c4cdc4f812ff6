"""Is this PDF an authentic document of this installation, and which one?

Authentic means: the seal is intact and ours, nothing was added after it, and the
file's SHA-256 is that of a document we sealed and stored: a justerat protocol (the
original or its public version), a protokollsutdrag or a rättelse. A PDF changed by
one byte fails.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings.documents import sealing
from meetings.models import ArchivedProtocol, Meeting, Protokollsutdrag, PublicProtocol, Rattelse
from members.models import Timestamped


@dataclass
class Verdict:
    authentic: bool
    message: str
    meeting: Meeting | None = None
    sha256: str = ""
    seal: sealing.SealCheck | None = None
    kind: str = ""  # original, public, utdrag, rattelse, rattelse_public


def _which(digest: str) -> tuple[str, Meeting, Timestamped] | None:
    """The stored document with this SHA-256: (kind, its meeting, the row)."""
    meeting = "meeting__body__organisation"
    if original := ArchivedProtocol.objects.select_related(meeting).filter(sha256=digest).first():
        return "original", original.meeting, original
    if public := PublicProtocol.objects.select_related(meeting).filter(sha256=digest).first():
        return "public", public.meeting, public
    extracts = Protokollsutdrag.objects.select_related(
        "public_version__" + meeting, "original__" + meeting
    )
    if utdrag := extracts.filter(sha256=digest).first():
        return "utdrag", utdrag.meeting, utdrag
    corrections = Rattelse.objects.select_related(meeting).filter(approved_at__isnull=False)
    if rattelse := corrections.filter(sha256=digest).first():
        return "rattelse", rattelse.meeting, rattelse
    if rattelse := corrections.filter(public_sha256=digest).first():
        return "rattelse_public", rattelse.meeting, rattelse
    return None


def _describe(kind: str, meeting: Meeting, row) -> str:
    what = {
        "body": meeting.body.name.lower(),
        "organisation": meeting.body.organisation.name,
        "date": f"{meeting.date:%Y-%m-%d}",
    }
    if kind == "public":
        return (
            _(
                "Authentic: the public version of the justerat protocol of %(body)s, "
                "%(organisation)s, of %(date)s, unchanged since it was sealed. Confidential "
                "paragraphs and masked personal data are left out of it; the original is "
                "kept by the organisation."
            )
            % what
        )
    if kind == "utdrag" and row.public_version_id:
        return _(
            "Authentic: an extract (protokollsutdrag) of § %(number)s from the public "
            "version of the justerat protocol of %(body)s, %(organisation)s, of "
            "%(date)s, unchanged since it was sealed."
        ) % {**what, "number": row.number}
    if kind == "utdrag":
        return _(
            "Authentic: an extract (protokollsutdrag) of § %(number)s of the justerat "
            "protocol of %(body)s, %(organisation)s, of %(date)s, certified by "
            "%(certifier)s on %(on)s, unchanged since it was sealed."
        ) % {
            **what,
            "number": row.number,
            "certifier": row.certified_by,
            "on": f"{row.created:%Y-%m-%d}",
        }
    if kind == "rattelse_public":
        return _(
            "Authentic: the public version of a correction, dated %(approved)s, of the "
            "justerat protocol of %(body)s, %(organisation)s, of %(date)s, unchanged since "
            "it was sealed."
        ) % {**what, "approved": f"{row.approved_at:%Y-%m-%d}"}
    if kind == "rattelse":
        return _(
            "Authentic: a correction, dated %(approved)s, of the justerat protocol of "
            "%(body)s, %(organisation)s, of %(date)s, unchanged since it was sealed."
        ) % {**what, "approved": f"{row.approved_at:%Y-%m-%d}"}
    return (
        _(
            "Authentic: the justerat protocol of %(body)s, %(organisation)s, of "
            "%(date)s, unchanged since it was sealed."
        )
        % what
    )


def _imported(row: Timestamped) -> bool:
    """An imported original (ArchivedProtocol.imported_from) or its public version
    (PublicProtocol.is_imported): justerat before the organisation used Paragraf."""
    return bool(getattr(row, "imported_from", "") or getattr(row, "is_imported", False))


def verify_imported(data: bytes) -> Verdict | None:
    """A file that is no PDF: the imported original it is, by its SHA-256 (a text
    file justerat before Paragraf), or None."""
    digest = hashlib.sha256(data).hexdigest()
    found = _which(digest)
    if found is None or not _imported(found[2]):
        return None
    return _imported_verdict(found, digest, None)


def _imported_verdict(found, digest: str, seal: sealing.SealCheck | None) -> Verdict:
    _kind, meeting, row = found
    what = {
        "body": meeting.body.name.lower(),
        "organisation": meeting.body.organisation.name,
        "date": f"{meeting.date:%Y-%m-%d}",
        "on": f"{row.created:%Y-%m-%d}",
    }
    return Verdict(
        False,
        _(
            "Known: the imported original of the protocol of %(body)s, %(organisation)s, of "
            "%(date)s, unchanged since it was imported on %(on)s. It was justerat before the "
            "organisation used Paragraf and is not sealed by Paragraf: its authenticity rests "
            "on the organisation's own archive."
        )
        % what,
        meeting,
        digest,
        seal,
        "imported",
    )


def verify(pdf: bytes) -> Verdict:
    seal = sealing.check_seal(pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    found = _which(digest)
    if found and _imported(found[2]):
        return _imported_verdict(found, digest, seal)
    if found and seal.ok:
        kind, meeting, row = found
        return Verdict(True, _describe(kind, meeting, row), meeting, digest, seal, kind)
    if seal.sealed and not seal.intact:
        reason = _("the content was changed after it was sealed")
    elif seal.sealed and not seal.whole_file:
        reason = _("something was added to the file after it was sealed")
    elif seal.sealed and not seal.trusted:
        reason = _("it is sealed, but not by this installation")
    elif not seal.sealed:
        reason = _("it carries no seal")
    else:
        reason = _("it is not a document archived here")
    return Verdict(False, _("Not authentic: %(reason)s.") % {"reason": reason}, seal=seal)
