"""Rows and public documents as OParl 1.1 objects (no queries of their own: the
loaders in meetings/public/oparl/lists.py fetch what a page needs in a constant number).

What each object may say comes from one source: a published meeting from its
public version (PublicProtocol.content, already redacted), a coming meeting from
the public agenda its latest kallelse stored, a person from name, title and seats.
"""

import datetime
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meetings.documents import public_version
from meetings.documents.document import sign
from meetings.documents.public_version import AGENDA_FORMAT, CalledHead, load
from meetings.models import Decision, Kallelse, Meeting, OpenDataDeletion
from meetings.public.oparl import OPARL_VERSION
from meetings.public.oparl.addresses import of, type_of
from meetings.public.oparl.files import Facts, mime_type
from meetings.rules import anslag
from members.models import Body, Membership, Organisation, Party, Person
from minutes_site.links import absolute

# OParl's own kinds of organisation: a body that meets is a "Gremium"; a member
# party of the förbund (a kommun, a region, Försäkringskassan) an "Institution".
GREMIUM = "Gremium"
INSTITUTION = "Institution"


def stamp(moment: datetime.datetime) -> str:
    """A date-time as OParl writes it: ISO 8601 with the offset, in Swedish time."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _at(day: datetime.date, time: datetime.time | None) -> str | None:
    if time is None:
        return None
    return stamp(timezone.make_aware(datetime.datetime.combine(day, time)))


def _dates(row) -> dict:
    return {"created": stamp(row.created), "modified": stamp(row.modified)}


def _clean(obj: dict) -> dict:
    """OParl leaves out what is unknown rather than writing null or an empty text."""
    return {k: v for k, v in obj.items() if v not in (None, "")}


def deleted(kind: str, gone: OpenDataDeletion, oparl_type: str) -> dict:
    """A deleted object as OParl 1.1 requires: id, type, created, modified, deleted."""
    return {
        "id": address_of_deleted(kind, gone.object_id),
        "type": type_of(oparl_type),
        "created": stamp(gone.object_created),
        "modified": stamp(gone.created),
        "deleted": True,
    }


# What each kind of deletion is called in OParl, and how its id is built.
DELETED_TYPES = {
    "body": "Body",
    "organization": "Organization",
    "party": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "location": "Location",
    "agendaItem": "AgendaItem",
    "file": "File",
}


def address_of_deleted(kind: str, object_id: str) -> str:
    if kind == "agendaItem":
        return of("agenda_item", object_id)
    if kind == "file":
        what, _slash, rest = object_id.partition("/")
        return of(f"file_{what}", *rest.split("/"))
    return of(kind, object_id)


# --- The installation and its organisations ----------------------------------


def system(organisations: list[Organisation]) -> dict:
    created = min((o.created for o in organisations), default=None)
    modified = max((o.modified for o in organisations), default=None)
    return _clean(
        {
            "id": of("system"),
            "type": type_of("System"),
            "oparlVersion": OPARL_VERSION,
            "name": settings.OPEN_DATA_SYSTEM_NAME,
            "body": of("bodies"),
            "license": settings.OPEN_DATA_LICENSE,
            "contactEmail": settings.OPEN_DATA_CONTACT_EMAIL,
            "website": absolute("/"),
            "web": absolute("/"),
            "created": stamp(created) if created else None,
            "modified": stamp(modified) if modified else None,
        }
    )


def mandate_years(first: int, last: int) -> list[int]:
    """The first years of the Swedish mandatperioder (four years from 1 January after
    an election: 2019–2022, 2023–2026 …) that cover the years first…last."""
    start = first - (first - 2023) % 4
    return list(range(start, last + 1, 4))


def legislative_term(organisation: Organisation, start_year: int) -> dict:
    return {
        "id": of("legislative_term", organisation.pk, start_year),
        "type": type_of("LegislativeTerm"),
        "body": of("body", organisation.pk),
        "name": _("Mandate period %(first)s–%(last)s")
        % {"first": start_year, "last": start_year + 3},
        "startDate": f"{start_year}-01-01",
        "endDate": f"{start_year + 3}-12-31",
        # A mandatperiod follows from the calendar: it is as old as its organisation here.
        "created": stamp(organisation.created),
        "modified": stamp(organisation.created),
    }


def body(organisation: Organisation, term_years: list[int]) -> dict:
    pk = organisation.pk
    return _clean(
        {
            "id": of("body", pk),
            "type": type_of("Body"),
            "system": of("system"),
            "name": organisation.name,
            "website": organisation.website,
            "classification": _("Coordination association (samordningsförbund)"),
            "organization": of("body_organizations", pk),
            "person": of("body_people", pk),
            "meeting": of("body_meetings", pk),
            "paper": of("body_papers", pk),
            "legislativeTerm": [legislative_term(organisation, y) for y in term_years],
            "legislativeTermList": of("body_legislative_terms", pk),
            # External lists, as the spec's text has them (issue 30, 3); its JSON
            # schema types these four as arrays, which no list of a body could be.
            "agendaItem": of("body_agenda_items", pk),
            "consultation": of("body_consultations", pk),
            "file": of("body_files", pk),
            "membership": of("body_memberships", pk),
            "sv:membershipList": of("body_memberships", pk),  # as before 2026-12, kept
            "locationList": of("body_locations", pk),
            "web": absolute(reverse("public:organisation", args=[organisation.slug])),
            **_dates(organisation),
            "sv:organisationNumber": organisation.organisation_number,
        }
    )


def organization(the_body: Body, membership_ids: list[int]) -> dict:
    organisation = the_body.organisation
    return _clean(
        {
            "id": of("organization", the_body.pk),
            "type": type_of("Organization"),
            "body": of("body", organisation.pk),
            "name": the_body.name,
            "membership": [of("membership", m) for m in membership_ids],
            "meeting": of("organization_meetings", the_body.pk),
            "organizationType": GREMIUM,
            "classification": capfirst(str(Body.Kind(the_body.kind).label)),
            "web": absolute(reverse("public:body", args=[organisation.slug, the_body.slug])),
            **_dates(the_body),
            "sv:kind": the_body.kind,
            "sv:preparesFor": of("organization", the_body.prepares_for_id)
            if the_body.prepares_for_id
            else None,
        }
    )


def party(member: Party) -> dict:
    return {
        "id": of("party", member.pk),
        "type": type_of("Organization"),
        "body": of("body", member.organisation_id),
        "name": member.name,
        "organizationType": INSTITUTION,
        "classification": _("Member of the association (%(kind)s)")
        % {"kind": Party.Kind(member.kind).label},
        **_dates(member),
        "sv:kind": member.kind,
    }


def membership(seat: Membership) -> dict:
    return _clean(
        {
            "id": of("membership", seat.pk),
            "type": type_of("Membership"),
            "person": of("person", seat.person_id),
            "organization": of("organization", seat.body_id),
            "role": str(Membership.Role(seat.role).label),
            "votingRight": seat.role != Membership.Role.ERSATTARE,
            "startDate": seat.start.isoformat(),
            "endDate": seat.end.isoformat() if seat.end else None,
            "onBehalfOf": of("party", seat.party_id) if seat.party_id else None,
            **_dates(seat),
            "sv:role": seat.role,
        }
    )


def person(someone: Person, seats: list[Membership], *, title: str) -> dict:
    """Name, title (as lists.person_objects chose it) and seats: never the e-mail
    address or the phone number."""
    return _clean(
        {
            "id": of("person", someone.pk),
            "type": type_of("Person"),
            "body": of("body", someone.organisation_id),
            "name": someone.name,
            "status": [title] if title else None,
            "membership": [membership(s) for s in seats],
            **_dates(someone),
        }
    )


# --- Meetings, their agenda items and files ----------------------------------


def agenda_of_called(sent: Kallelse | None) -> list[dict]:
    """The items of the public agenda a kallelse stored (none for one sent before
    agendas were kept)."""
    if sent is None or not isinstance(sent.public_agenda, dict):
        return []
    if sent.public_agenda.get("format") != AGENDA_FORMAT:
        return []
    return sent.public_agenda["items"]


class MeetingFacts:
    """What the objects of a page of meetings need besides the rows, fetched once per
    page by meetings/public/oparl/lists.py."""

    def __init__(
        self,
        *,
        bilaga_files,
        kallelser,
        handlingar,
        paragraph_keys,
        order_keys,
        links,
        answered_by,
        people,
        facts: Facts,
        item_created=None,
        consultations=None,
    ):
        self.item_created = item_created or {}  # {paragraph pk: when it was added}
        # {paragraph pk: its Consultation (MatterLink pk)}, published § of public matters
        self.consultations = consultations or {}
        self.bilaga_files = bilaga_files  # {(meeting_id, number): storage name}
        self.kallelser = kallelser  # {meeting_id: the latest Kallelse}
        self.handlingar = handlingar  # {handling id: Handling} still public
        self.paragraph_keys = paragraph_keys  # {(meeting_id, position): Paragraph pk}
        self.order_keys = order_keys  # {meeting_id: [pk of each unstruck § in order]}
        self.links = links  # {paragraph pk: the public paragraph it responds to}
        self.answered_by = answered_by  # {paragraph pk: [public paragraphs answering it]}
        self.people = people  # {(organisation_id, name): Person pk}, names once only
        self.facts = facts


def is_published_row(meeting: Meeting) -> bool:
    """Set by the loader (`api_published`): the same rule as the public pages."""
    return bool(getattr(meeting, "api_published", False))


def modified_of(meeting: Meeting) -> datetime.datetime:
    """The latest change the API shows of a meeting: its row (touched also when a
    handling changes, meetings/public/oparl/deletions.py), its public version, its
    kallelse, the day a scheduled publication made it public, and the publication of
    a protocol that answers one of its paragraphs (lists.py filters by the same rule)."""
    moment = meeting.api_modified
    if is_published_row(meeting):
        moment = max(moment, midnight(meeting.publish_on))
    if getattr(meeting, "answered_on", None):
        moment = max(moment, midnight(meeting.answered_on))
    return moment


# OParl's recommended meetingState words (Meeting.meetingState): "eingeladen" from the
# invitation until the protocol is released, "durchgeführt" after; the Swedish status
# is in sv:meetingState. ("terminiert", planned, never shows: a meeting enters the API
# with its kallelse.)
EINGELADEN, DURCHGEFUEHRT = "eingeladen", "durchgeführt"


def meeting(m: Meeting, extra: MeetingFacts) -> dict:
    if is_published_row(m):
        return _published_meeting(m, extra)
    return _called_meeting(m, extra)


def _meeting_head(m: Meeting, *, day, start, end, place, remote) -> dict:
    organisation = m.body.organisation
    return {
        "id": of("meeting", m.pk),
        "type": type_of("Meeting"),
        "name": f"{m.body.name} {day:%Y-%m-%d}",
        "start": _at(day, start),
        "end": _at(day, end),
        "location": location(m, place=place, remote=remote),
        "organization": [of("organization", m.body_id)],
        "web": absolute(m.get_absolute_url()),
        "created": stamp(m.created),
        "modified": stamp(modified_of(m)),
        "sv:body": of("body", organisation.pk),
    }


def location(m: Meeting, *, place: str, remote: bool) -> dict | None:
    if not place and not remote:
        return None
    return _clean(
        {
            "id": of("location", m.pk),
            "type": type_of("Location"),
            "description": place or _("Remote meeting"),
            "meetings": [of("meeting", m.pk)],
            "created": stamp(m.created),
            "modified": stamp(modified_of(m)),
            "sv:remote": remote,
        }
    )


def _published_meeting(m: Meeting, extra: MeetingFacts) -> dict:
    public = m.public_version
    data = load(public)
    head = data["meeting"]
    day = datetime.date.fromisoformat(head["date"])
    start = datetime.time.fromisoformat(head["start_time"]) if head["start_time"] else None
    end = datetime.time.fromisoformat(head["end_time"]) if head.get("end_time") else None
    keys = {
        p["position"]: extra.paragraph_keys.get((m.pk, p["position"])) for p in data["paragraphs"]
    }
    files = {b["number"]: bilaga_file(m, b, keys, extra) for b in data["bilagor"]}
    # `order` counts from 0: an item's place in Meeting.agendaItem (issue 30, 5).
    items = [
        agenda_item(m, p, keys[p["position"]], data, files, extra, order=order)
        for order, p in enumerate(p for p in data["paragraphs"] if keys[p["position"]])
    ]
    on_items = {keys[p["position"]] for p in data["paragraphs"] if keys[p["position"]]}
    organisation = m.body.organisation_id
    participants = [
        extra.people.get((organisation, a["person"]))
        for a in data["attendance"]
        if a["capacity"] != "franvarande"
    ]
    return _clean(
        {
            **_meeting_head(
                m, day=day, start=start, end=end, place=head["place"], remote=head["is_remote"]
            ),
            "meetingState": DURCHGEFUEHRT,
            "sv:meetingState": str(Meeting.Status.PUBLICERAT.label),
            "cancelled": False,
            "participant": [of("person", pk) for pk in participants if pk] or None,
            "resultsProtocol": protocol_file(m, extra),
            # Only the files of no agenda item: the items carry their own (issue 30, 6).
            "auxiliaryFile": [
                f
                for number, f in files.items()
                if f and keys.get(_paragraph_of(data, number)) not in on_items
            ]
            or None,
            "agendaItem": items,
            "sv:justerat": stamp(m.justerat_at),
            "sv:anslag": {
                "posted": m.publish_on.isoformat(),
                "lastDayToAppeal": anslag.last_day_to_appeal(m.publish_on).isoformat(),
            },
            "sv:verification": absolute(reverse("verify")),
            "sv:imported": public.is_imported,
            "sv:chair": data["chair"],
            "sv:justerare": data["justerare"],
            "sv:attendance": [_attendant(a) for a in data["attendance"]],
        }
    )


def _paragraph_of(data: dict, number: int) -> int | None:
    """The position of the paragraph a bilaga of the public version belongs to."""
    return next((b["paragraph"] for b in data["bilagor"] if b["number"] == number), None)


def _attendant(a: dict) -> dict:
    return _clean(
        {
            "name": a["person"],
            "capacity": a["capacity"],
            "party": a["party"],
            "roleTitle": a["role_title"],
            "substitutesFor": a["substitutes_for"],
        }
    )


def called_items(m: Meeting, extra: MeetingFacts) -> list[tuple[int, dict]]:
    """The public agenda of a coming meeting, each item with its paragraph's key (an
    agenda sent before the keys were kept is matched by order)."""
    items = agenda_of_called(extra.kallelser.get(m.pk))
    by_order = extra.order_keys.get(m.pk, [])
    found = []
    for order, item in enumerate(items):
        key = item.get("paragraph") or (by_order[order] if order < len(by_order) else None)
        if key:
            found.append((key, item))
    return found


def called_head(m: Meeting, sent: Kallelse | None) -> CalledHead:
    """A coming meeting's time and place as its latest kallelse stored them."""
    return public_version.called_head(sent.public_agenda if sent else {}, m)


def _called_meeting(m: Meeting, extra: MeetingFacts) -> dict:
    sent = extra.kallelser.get(m.pk)
    items = [
        called_item(m, order, key, item, extra)
        for order, (key, item) in enumerate(called_items(m, extra))
    ]
    cancelled = m.status == Meeting.Status.INSTALLT
    head = called_head(m, sent)
    return _clean(
        {
            **_meeting_head(
                m,
                day=head.date,
                start=head.start_time,
                end=head.end_time,
                place=head.place,
                remote=head.is_remote,
            ),
            # Called, up to the protocol's publication (a cancelled one says so too).
            "meetingState": EINGELADEN,
            "sv:meetingState": str(Meeting.Status(m.status).label),
            "cancelled": cancelled,
            # Every handling belongs to an agenda item, which carries it.
            "agendaItem": items,
            "sv:kallelseSent": stamp(sent.sent_at) if sent else None,
        }
    )


def _decision_label(kind: str) -> str:
    return str(Decision.Kind(kind).label)


def agenda_item(
    m: Meeting, p: dict, key: int, data: dict, files: dict, extra: MeetingFacts, *, order: int
) -> dict:
    """A paragraph of the public version. A confidential one is already reduced to
    its number and public title there; `public` says so."""
    number = p["number"]
    decisions = p["decisions"]
    page = absolute(m.paragraph_url(number)) if number else None
    link = extra.links.get(key) if p.get("responds_to") else None
    answers = [] if p["is_confidential"] else extra.answered_by.get(key, [])
    return _clean(
        {
            "id": of("agenda_item", key),
            "type": type_of("AgendaItem"),
            "meeting": of("meeting", m.pk),
            "number": sign(number) if number else None,
            "order": order,
            "name": p["title"],
            "public": not p["is_confidential"],
            "result": "; ".join(_decision_label(d["kind"]) for d in decisions) or None,
            "resolutionText": "\n\n".join(d["text"] for d in decisions) or None,
            "auxiliaryFile": [
                files[b["number"]]
                for b in data["bilagor"]
                if b["paragraph"] == p["position"] and files.get(b["number"])
            ]
            or None,
            "web": page,
            "created": stamp(extra.item_created.get(key, m.created)),
            "modified": stamp(modified_of(m)),
            "sv:text": p["text"],
            "sv:section": p["section"],
            "sv:diarienummer": p["diarienummer"],
            "sv:struck": p["is_struck"] or None,
            "sv:extract": f"{page}utdrag.pdf" if page and not p["is_confidential"] else None,
            "consultation": (
                of("consultation", extra.consultations[key]) if key in extra.consultations else None
            ),
            "sv:respondsTo": of("agenda_item", link) if link else None,
            "sv:answeredBy": [of("agenda_item", a) for a in answers] or None,
            "sv:decisions": [_decision(d) for d in decisions] or None,
        }
    )


def _decision(d: dict) -> dict:
    return _clean(
        {
            "kind": d["kind"],
            "label": _decision_label(d["kind"]),
            "text": d["text"],
            "proposedTo": d["proposed_to"]["name"] if d.get("proposed_to") else None,
            "vote": d.get("vote"),
            "reservations": [r.get("person") for r in d.get("reservations", [])] or None,
        }
    )


def called_item(m: Meeting, order: int, key: int, item: dict, extra: MeetingFacts) -> dict:
    files = [
        handling_file(m, extra.handlingar[h["id"]], key, extra, title=h["title"])
        for h in item["handlingar"]
        if h["id"] in extra.handlingar
    ]
    return _clean(
        {
            "id": of("agenda_item", key),
            "type": type_of("AgendaItem"),
            "meeting": of("meeting", m.pk),
            "order": order,
            "name": item["title"],
            "public": not item["is_confidential"],
            "auxiliaryFile": files or None,
            "web": absolute(m.get_absolute_url()),
            "created": stamp(extra.item_created.get(key, m.created)),
            "modified": stamp(modified_of(m)),
            "sv:section": item["section"],
            "sv:diarienummer": item["diarienummer"],
        }
    )


def _file_facts(name: str, extra: MeetingFacts) -> dict:
    known = extra.facts.get(name)
    if known is None:
        return {}
    return {"size": known.size, "sha512Checksum": known.sha512}


def protocol_file(m: Meeting, extra: MeetingFacts) -> dict:
    public = m.public_version
    url = absolute(reverse("public:protocol_pdf", kwargs=m.address()))
    text = public.is_imported and not public.pdf.name.endswith(".pdf")
    return _clean(
        {
            "id": of("file_protocol", m.pk),
            "type": type_of("File"),
            "name": _("Protocol (public version)"),
            "fileName": f"protokoll-{m.body.slug}-{m.date:%Y-%m-%d}.{'txt' if text else 'pdf'}",
            "mimeType": "text/plain" if text else "application/pdf",
            "date": timezone.localtime(m.justerat_at).date().isoformat(),
            **_file_facts(public.pdf.name, extra),
            "accessUrl": url,
            "downloadUrl": download(url),
            "meeting": [of("meeting", m.pk)],
            "web": absolute(m.get_absolute_url()),
            **_dates(public),
            "sv:sha256": public.sha256,
            "sv:sealed": not public.is_imported,
        }
    )


def bilaga_file(m: Meeting, b: dict, keys: dict, extra: MeetingFacts) -> dict | None:
    """A bilaga the public version lists as public and that has a file; else none
    (a bilaga without a file, or one the public may not open, is no File)."""
    name = extra.bilaga_files.get((m.pk, b["number"]))
    if not b["is_public"] or not name:
        return None
    url = absolute(reverse("public:bilaga", kwargs={**m.address(), "number": b["number"]}))
    public = m.public_version
    return _clean(
        {
            "id": of("file_bilaga", m.pk, b["number"]),
            "type": type_of("File"),
            "name": b["title"] or _("Bilaga %(number)s") % {"number": b["number"]},
            "fileName": b["filename"],
            "mimeType": mime_type(b["filename"] or name),
            "date": timezone.localtime(m.justerat_at).date().isoformat(),
            **_file_facts(name, extra),
            "accessUrl": url,
            "downloadUrl": download(url),
            "meeting": [of("meeting", m.pk)],
            "agendaItem": [of("agenda_item", keys[b["paragraph"]])]
            if keys.get(b["paragraph"])
            else None,
            **_dates(public),
            "sv:bilaga": b["number"],
            "sv:sha256": b["sha256"],
        }
    )


def handling_file(m: Meeting, h, key: int, extra: MeetingFacts, *, title: str) -> dict:
    """A handling the public agenda lists, by the title the agenda gives it (masked
    as the kallelse stored it), never the live row's."""
    url = absolute(reverse("public:handling", kwargs={**m.address(), "handling_id": h.pk}))
    filename = h.filename_titled(title)
    return _clean(
        {
            "id": of("file_handling", h.pk),
            "type": type_of("File"),
            "name": title,
            "fileName": filename,
            "mimeType": mime_type(filename),
            **_file_facts(h.file.name, extra),
            "accessUrl": url,
            "downloadUrl": download(url),
            "meeting": [of("meeting", m.pk)],
            "agendaItem": [of("agenda_item", key)],
            "date": timezone.localtime(h.created).date().isoformat(),
            **_dates(h),
        }
    )


# What `omit_internal=true` leaves out (OParl 1.1, 2.5, Filter): the embedded lists
# that the Body's external lists (agendaItem, file, membership, legislativeTermList)
# hold again, so that a client updating its copy reads each object once.
INTERNAL = {
    "Meeting": ("agendaItem", "auxiliaryFile"),
    "AgendaItem": ("auxiliaryFile",),
    "Person": ("membership",),
    "Body": ("legislativeTerm",),
}


def without_internal(found: dict) -> dict:
    """An answer (an object or a list page) without the internal lists."""

    def bare(obj: dict) -> dict:
        left_out = INTERNAL.get(obj.get("type", "").rsplit("/", 1)[-1], ())
        return {k: v for k, v in obj.items() if k not in left_out}

    if "data" in found and "pagination" in found:
        return {**found, "data": [bare(o) for o in found["data"]]}
    return bare(found)


def embedded(obj):
    """Every object in an answer (itself, and each object embedded in it, at any depth)."""
    if isinstance(obj, dict):
        if "type" in obj:
            yield obj
        for value in obj.values():
            yield from embedded(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from embedded(value)


def download(url: str) -> str:
    """A public file's address asking for it as an attachment (views/public.py,
    DOWNLOAD); accessUrl shows it in the browser."""
    return f"{url}?ladda-ner=1"


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
