"""Ärenden in the open-data API: each public matter is an OParl Paper, and each of
its published paragraphs a Consultation of it (Beratung), linking the agenda item,
its meeting and the body (Organization) that handled it.

As on the public pages (meetings/public/matters.py): which paragraphs belong to a
matter is known from the workspace's links, everything shown of them comes from
their protocols' public versions; a matter is public once one of its published
paragraphs is open, and a published paragraph never leaves its matter (the link of
a justerat paragraph stays, meetings/models/matter.py), so nothing listed here is
ever deleted.
"""

import datetime

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from meetings.actions.publication import is_published
from meetings.documents import public_version
from meetings.models import Decision, Matter, MatterLink, Meeting, paragraph_url
from meetings.public import matters
from meetings.public.oparl.addresses import of, type_of
from meetings.public.oparl.objects import stamp
from minutes_site.links import absolute

PAPER_TYPE = "Ärende"


def papers(organisation_id: int | None = None) -> QuerySet[Matter]:
    """The public matters (of one organisation), with when each last changed for the
    public: the latest of the row and its published paragraphs' public versions
    (api_modified), and the latest publication day of those (api_published_on)."""
    published = is_published(via="links__paragraph__meeting__") & Q(
        links__paragraph__is_struck=False
    )
    rows = Matter.objects.filter(matters.is_public()).select_related("organisation")
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return rows.annotate(
        api_modified=Greatest(
            F("modified"),
            Max("links__paragraph__meeting__public_version__modified", filter=published),
        ),
        api_published_on=Max("links__paragraph__meeting__publish_on", filter=published),
    )


def consultations(organisation_id: int | None = None) -> QuerySet[MatterLink]:
    """The published paragraphs of the public matters (of one organisation)."""
    rows = matters.public_links().filter(
        matter__in=Matter.objects.filter(matters.is_public()).values("pk")
    )
    if organisation_id is not None:
        rows = rows.filter(matter__organisation_id=organisation_id)
    return rows.select_related(
        "paragraph__meeting__body__organisation", "paragraph__meeting__public_version"
    ).annotate(
        api_modified=Greatest(F("modified"), F("paragraph__meeting__public_version__modified")),
        api_published_on=F("paragraph__meeting__publish_on"),
    )


def modified_of(row) -> datetime.datetime:
    """The latest change the public saw: the row's api_modified, or the start of the
    latest publication day if that came after."""
    moment = row.api_modified
    if row.api_published_on:
        day = timezone.make_aware(datetime.datetime.combine(row.api_published_on, datetime.time()))
        moment = max(moment, day)
    return moment


class _Contents:
    """The public versions' paragraphs, each protocol read once."""

    def __init__(self):
        self.read: dict[int, dict[int, dict]] = {}

    def paragraph(self, meeting: Meeting, position: int) -> dict | None:
        if meeting.pk not in self.read:
            data = public_version.load(meeting.public_version)
            self.read[meeting.pk] = {p["position"]: p for p in data["paragraphs"]}
        return self.read[meeting.pk].get(position)


_ROLES = {
    Decision.Kind.FORSLAG: "Förslag till beslut",
    Decision.Kind.BESLUT: "Beslut",
    Decision.Kind.LAGGES_TILL_HANDLINGARNA: "Information",
}


def consultation(link: MatterLink, p: dict, *, embedded: bool = False) -> dict:
    """One published paragraph of a matter, as its public version says it."""
    meeting = link.paragraph.meeting
    kinds = [d["kind"] for d in p["decisions"]]
    roles = [_ROLES[k] for k in _ROLES if k in kinds]
    obj = {
        "id": of("consultation", link.pk),
        "type": type_of("Consultation"),
        "agendaItem": of("agenda_item", link.paragraph_id),
        "meeting": of("meeting", meeting.pk),
        "organization": [of("organization", meeting.body_id)],
        "role": ", ".join(roles) or None,
        "authoritative": (Decision.Kind.BESLUT in kinds) if kinds else None,
        "web": absolute(paragraph_url(meeting.get_absolute_url(), p["number"]))
        if p["number"]
        else absolute(meeting.get_absolute_url()),
        "created": stamp(link.created),
        "modified": stamp(modified_of(link)),
    }
    if not embedded:  # in its paper, the paper is where it stands
        obj = {**obj, "paper": of("paper", link.matter_id)}
    return {k: v for k, v in obj.items() if v is not None}


def consultation_objects(rows: list[MatterLink]) -> list[dict]:
    contents = _Contents()
    found = []
    for link in rows:
        p = contents.paragraph(link.paragraph.meeting, link.paragraph.position)
        if p is not None:
            found.append(consultation(link, p))
    return found


def paper_objects(rows: list[Matter]) -> list[dict]:
    """The Paper objects of a page, each with its consultations embedded (one query
    for all their paragraphs, and each public version read once)."""
    links: dict[int, list[MatterLink]] = {m.pk: [] for m in rows}
    for link in consultations().filter(matter__in=list(links)):  # in the matters' order
        links[link.matter_id].append(link)
    contents = _Contents()
    return [_paper(m, links[m.pk], contents) for m in rows]


def _paper(matter: Matter, links: list[MatterLink], contents: _Contents) -> dict:
    steps = [
        (link, contents.paragraph(link.paragraph.meeting, link.paragraph.position))
        for link in links
    ]
    steps = [(link, p) for link, p in steps if p is not None]
    open_steps = [(link, p) for link, p in steps if not p["is_confidential"]]
    name = open_steps[0][1]["title"] if open_steps else ""
    reference = next((p["diarienummer"] for _link, p in open_steps if p["diarienummer"]), "")
    obj = {
        "id": of("paper", matter.pk),
        "type": type_of("Paper"),
        "body": of("body", matter.organisation_id),
        "name": name,
        "reference": reference or None,
        "date": steps[0][0].paragraph.meeting.date.isoformat() if steps else None,
        "paperType": PAPER_TYPE,
        "consultation": [consultation(link, p, embedded=True) for link, p in steps],
        "web": absolute(
            reverse("public:matter", kwargs={"org": matter.organisation.slug, "pk": matter.pk})
        ),
        "created": stamp(matter.created),
        "modified": stamp(modified_of(matter)),
    }
    return {k: v for k, v in obj.items() if v is not None}


def consultation_key() -> Subquery:
    """For a Paragraph row: its consultation's key (MatterLink pk), if it is a
    published paragraph of a public matter (read with the paragraph, no query more)."""
    public = matters.public_links().filter(
        paragraph=OuterRef("pk"), matter__in=Matter.objects.filter(matters.is_public()).values("pk")
    )
    return Subquery(public.values("pk")[:1])
