"""The public version of a justerat protocol: what the public may read of it.

`redact` is the one function that decides what is public. It reads the protocol's
export (the JSON sealed into the original) and returns the same document with
`"redacted": true`: confidential paragraphs reduced to their § number and public
title, bilagor the public may not open without file name (and without title unless
the secretary made the title public; never on a confidential paragraph), every
masked span replaced by "[uppgift borttagen]". `make` renders that document to its
own PDF/A, seals and stores it (PublicProtocol) at justering; every public page,
extract, search entry and feed is built from PublicProtocol.content, never from the
live tables or the original.
"""

import datetime
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Subquery
from django.utils.translation import gettext as _

from meetings.documents import archival
from meetings.documents.pdf import archival_pdf
from meetings.documents.protocol_json import dumps
from meetings.models import (
    Approval,
    ArchivedProtocol,
    Handling,
    Kallelse,
    Meeting,
    PublicProtocol,
    Rattelse,
)
from meetings.rules.masking import mask, mask_all
from meetings.rules.signals import tell_the_public
from meetings.rules.stored_files import removed_on_failure


class NotRedacted(Exception):
    """A document offered to the public that is not a redacted export."""


def redact(data: dict) -> dict:
    """The public version of a protocol export (no side effects)."""
    if data.get("redacted"):
        raise ValueError("already redacted")
    secret = {p["position"] for p in data["paragraphs"] if p["is_confidential"]}
    paragraphs = [_confidential(p) if p["position"] in secret else p for p in data["paragraphs"]]
    bilagor = [_bilaga(b, on_secret=b["paragraph"] in secret) for b in data["bilagor"]]
    head = {"format": data["format"], "version": data["version"], "redacted": True}
    rest = {k: v for k, v in data.items() if k not in head}
    return mask_all({**head, **rest, "paragraphs": paragraphs, "bilagor": bilagor})


def _confidential(p: dict) -> dict:
    return {
        "position": p["position"],
        "number": p["number"],
        "section": p["section"],
        "title": p["public_title"],
        "text": "",
        "diarienummer": "",
        "is_confidential": True,
        "public_title": p["public_title"],
        "is_struck": p["is_struck"],
        "responds_to": None,
        "decisions": [],
    }


def _bilaga(b: dict, *, on_secret: bool) -> dict:
    public = b["is_public"] and not on_secret
    title_public = public or (b["title_is_public"] and not on_secret)
    return {
        "number": b["number"],
        "title": b["title"] if title_public else "",
        "paragraph": b["paragraph"],
        "is_public": public,
        "title_is_public": title_public,
        "filename": b["filename"] if public else "",
        "sha256": b["sha256"] if public else None,
    }


AGENDA_FORMAT = "paragraf.agenda"


def public_agenda(meeting: Meeting) -> dict:
    """What the public may read of a coming meeting's agenda (its föredragningslista),
    as the kallelse goes out: each item's section and title (a confidential item by
    its public title only, without diarienummer), and the handlingar the public may
    open (never those of a confidential item); every masked span removed. Stored
    with the Kallelse; the public pages of the meeting read nothing else of it."""
    items = []
    paragraphs = meeting.paragraphs.filter(is_struck=False).order_by("position")
    handlingar: dict[int, list[dict]] = {}
    public_files = Handling.objects.public().filter(meeting=meeting).order_by("pk")
    for h in public_files:
        handlingar.setdefault(h.paragraph_id, []).append({"id": h.pk, "title": h.title})
    for p in paragraphs:
        secret = p.is_confidential
        items.append(
            {
                # The paragraph's key: the open-data API's stable id of the agenda item.
                "paragraph": p.pk,
                "section": p.section,
                "title": p.open_title,
                "diarienummer": "" if secret else p.diarienummer,
                "is_confidential": secret,
                "handlingar": [] if secret else handlingar.get(p.pk, []),
            }
        )
    return mask_all({"format": AGENDA_FORMAT, "meeting": _head(meeting), "items": items})


def _head(meeting: Meeting) -> dict:
    """When and where, as the kallelse announces it to the public."""
    return {
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else None,
        "place": meeting.place,
        "is_remote": meeting.is_remote,
    }


@dataclass(frozen=True)
class CalledHead:
    """A called meeting's time and place as its latest kallelse stored them for the
    public: the public pages, the calendar and the open data read this, never the
    meeting's row (which the secretary may have changed, or filled with words the
    public version masks, since)."""

    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    place: str
    is_remote: bool


def called_head(agenda: dict, meeting: Meeting) -> CalledHead:
    """The head a stored public agenda holds. An agenda stored before heads were
    kept fails closed: the day of the meeting's address and nothing else."""
    head = agenda.get("meeting") if isinstance(agenda, dict) else None
    if agenda.get("format") != AGENDA_FORMAT or not isinstance(head, dict):
        return CalledHead(meeting.date, None, None, "", False)

    def time(value):
        return datetime.time.fromisoformat(value) if value else None

    return CalledHead(
        date=datetime.date.fromisoformat(head["date"]),
        start_time=time(head["start_time"]),
        end_time=time(head["end_time"]),
        place=head["place"],
        is_remote=bool(head["is_remote"]),
    )


def latest_kallelser(meeting_ids) -> dict[int, Kallelse]:
    """Each meeting's latest kallelse, with when it went out and the public agenda it
    stored (one query; not its recipients)."""
    found: dict[int, Kallelse] = {}
    for sent in (
        Kallelse.objects.filter(meeting__in=meeting_ids)
        .only("meeting", "sent_at", "public_agenda")
        .order_by("meeting", "-sent_at", "-pk")
    ):
        found.setdefault(sent.meeting_id, sent)
    return found


def latest_agendas(meeting_ids) -> dict[int, dict]:
    """The public agenda each meeting's latest kallelse stored (one query)."""
    return {pk: sent.public_agenda for pk, sent in latest_kallelser(meeting_ids).items()}


def same_agenda(sent: dict, current: dict) -> bool:
    """Whether a stored public agenda says what the current one would: the same
    time and place and the same items."""
    return same_items(sent, current) and stored_head(sent) == stored_head(current)


def same_items(sent: dict, current: dict, *, handlingar: bool = True) -> bool:
    """Whether two public agendas list the same items (the keys of the paragraphs,
    kept since the API's ids, do not count: an agenda sent before them is not
    changed for that); without `handlingar`, whatever handlingar they list."""
    left_out = {"paragraph"} if handlingar else {"paragraph", "handlingar"}

    def said(agenda: dict) -> list:
        items = agenda.get("items", []) if isinstance(agenda, dict) else []
        return [{k: v for k, v in item.items() if k not in left_out} for item in items]

    return said(sent) == said(current) and sent.get("format") == current.get("format")


def stored_head(agenda: dict) -> dict | None:
    """The time and place a public agenda stored, as stored (None before heads were kept)."""
    return agenda.get("meeting") if isinstance(agenda, dict) else None


def public_handling_ids(agenda: dict) -> set[int]:
    """The handlingar a stored public agenda lists (fails closed: none for anything
    that is not one)."""
    return set(public_handling_titles(agenda))


def public_handling_titles(agenda: dict) -> dict[int, str]:
    """The handlingar a stored public agenda lists, with the title it gives each."""
    if not isinstance(agenda, dict) or agenda.get("format") != AGENDA_FORMAT:
        return {}
    return {h["id"]: h["title"] for item in agenda["items"] for h in item["handlingar"]}


def public_rattelse(r: Rattelse) -> dict:
    """A correction as the public reads it, on the page and in its public PDF:
    masked spans removed; one of a confidential paragraph only by that paragraph's
    number and public title."""
    paragraph = r.paragraph
    if paragraph and paragraph.is_confidential:
        text = _("A correction of %(sign)s, which is covered by secrecy.") % {
            "sign": paragraph.sign
        }
        title = paragraph.public_title
    else:
        text, title = mask(r.text), mask(paragraph.title) if paragraph else ""
    return {
        "pk": r.pk,
        "approved_at": r.approved_at,
        "text": text,
        "paragraph": f"{paragraph.sign} {title}" if paragraph else "",
        "number": paragraph.number if paragraph else None,
        "has_pdf": bool(r.public_sha256),
    }


def public_sha256(meeting: Meeting) -> str:
    """The SHA-256 of the protocol's sealed public version ("" before there is one)."""
    return (
        PublicProtocol.objects.filter(meeting=meeting).values_list("sha256", flat=True).first()
        or ""
    )


def public_rattelser(meeting: Meeting, number: int | None = None) -> list[dict]:
    """The approved corrections of a protocol as the public reads them (`number`:
    only those of that paragraph)."""
    approved = Rattelse.objects.filter(meeting=meeting, approved_at__isnull=False)
    if number is not None:
        approved = approved.filter(paragraph__number=number)
    return [
        public_rattelse(r) for r in approved.select_related("paragraph").order_by("approved_at")
    ]


def justering_approvals(meeting: Meeting) -> list[Approval]:
    """The approvals the protocol was justerat with (who, when): public facts, read
    in one query by the version the archive holds."""
    version = ArchivedProtocol.objects.filter(meeting=meeting).values("content_hash")[:1]
    return approvals_for(meeting, Subquery(version))


def load(public: PublicProtocol) -> dict:
    """The public version's document, checked to be one (fails closed)."""
    data = json.loads(public.content)
    if data.get("redacted") is not True:
        raise NotRedacted(public.pk)
    return data


def approvals_for(meeting: Meeting, version) -> list[Approval]:
    """The approvals given to `version` of the protocol (those it is justerat with),
    in the order they were given."""
    return list(
        meeting.approvals.filter(
            decision=Approval.Decision.GODKANT, content_hash=version, rattelse__isnull=True
        )
        .select_related("person", "user")
        .order_by("created")
    )


@transaction.atomic
def make(archive: ArchivedProtocol, *, approvals: list[Approval] | None = None) -> PublicProtocol:
    """Render, seal and store the public version of an archived original.

    Changes: creates a PublicProtocol with the redacted JSON, its sealed PDF/A (in
    STORAGES) and the PDF's SHA-256. The original is not touched.
    """
    meeting = archive.meeting
    content = dumps(redact(json.loads(archive.content)))
    pdf = archival_pdf(
        json.loads(content),
        meeting=meeting,
        approvals=approvals
        if approvals is not None
        else approvals_for(meeting, archive.content_hash),
        # Never the original's version itself: a digest of the original's content
        # alone would let anyone confirm guesses of what is masked.
        version=original_link(archive.public_link_key, archive.content_hash),
        content_json=content,
    )
    sealed = archival.seal(pdf, reason=_("Justerat protocol, public version"), meeting=meeting)
    public = PublicProtocol(
        meeting=meeting, original=archive, sha256=sealed.sha256, content=content
    )
    with removed_on_failure() as keep:
        name = archival.file_name("protokoll", meeting, "offentlig")
        archival.store(public.pdf, sealed, name, keep)
        public.save()
    return public


def new_link_key() -> str:
    """A fresh secret for ArchivedProtocol.public_link_key (256 bits)."""
    return secrets.token_hex(32)


def original_link(key: str, version: str) -> str:
    """What the public version prints of the original: HMAC-SHA256 with the key the
    original keeps (and prints) over the original's version. Whoever holds the
    original can recompute it; nobody can compute it from guessed content. ""
    without a key (a protocol justerat before keys were kept)."""
    if not key:
        return ""
    return hmac.new(bytes.fromhex(key), version.encode("ascii"), hashlib.sha256).hexdigest()


def make_missing() -> list[PublicProtocol]:
    """The public version of every archived protocol that has none (installations
    justerat before public versions existed), and their search entries anew.

    Changes: creates PublicProtocol rows and files; rewrites those protocols'
    search entries from the public version; empties the page cache.
    """
    made = []
    missing = ArchivedProtocol.objects.filter(public_version__isnull=True).select_related(
        "meeting__body__organisation"
    )
    for archive in missing.order_by("pk"):
        made.append(make(archive))
        if archive.meeting.publish_on:
            tell_the_public(__name__, meeting=archive.meeting, reindex=True)
    return made
