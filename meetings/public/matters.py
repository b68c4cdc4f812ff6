"""What the public reads of a matter's path (ärendets gång) and of the reports back
of uppdrag (återrapportering).

Which paragraphs belong together is known from the workspace (MatterLink, the
follow-up's report); what is shown of each comes from its protocol's public version
alone, as on its own page: a confidential paragraph by its § number and public
title, nothing of a protocol not yet published. A matter is public once one of its
published paragraphs is not confidential; before that, its page does not exist.
"""

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from meetings.actions.publication import is_published
from meetings.documents import public_version
from meetings.models import FollowUp, Matter, MatterLink, Meeting, paragraph_url


@dataclass(frozen=True)
class Step:
    """A published paragraph, as its public version says it."""

    meeting: Meeting
    number: int | None
    title: str
    diarienummer: str
    is_confidential: bool
    decisions: list
    url: str

    @property
    def sign(self) -> str:
        return f"§\u00a0{self.number}" if self.number else "§\u00a0–"


def _steps(paragraphs: list[tuple[Meeting, int]], contents: dict | None = None) -> list[Step]:
    """The paragraphs (meeting, position) as their public versions say them, in the
    order given; a paragraph its public version does not hold is left out. (`contents`
    keeps the public versions read, across calls.)"""
    contents = {} if contents is None else contents
    found = []
    for meeting, position in paragraphs:
        if meeting.pk not in contents:
            data = public_version.load(meeting.public_version)
            contents[meeting.pk] = {p["position"]: p for p in data["paragraphs"]}
        p = contents[meeting.pk].get(position)
        if p is None or p["is_struck"]:
            continue
        url = meeting.get_absolute_url()
        found.append(
            Step(
                meeting=meeting,
                number=p["number"],
                title=p["title"],
                diarienummer=p["diarienummer"],
                is_confidential=p["is_confidential"],
                decisions=p["decisions"],
                url=paragraph_url(url, p["number"]) if p["number"] else url,
            )
        )
    return found


def public_links() -> QuerySet[MatterLink]:
    """The links to paragraphs of published protocols that are not struck: all the
    public may read of matters (the pages here and the open data), oldest first, with
    what their public versions need."""
    return (
        MatterLink.objects.filter(
            is_published(via="paragraph__meeting__"), paragraph__is_struck=False
        )
        .select_related(
            "paragraph__meeting__body__organisation", "paragraph__meeting__public_version"
        )
        .order_by(
            "paragraph__meeting__date", "paragraph__meeting__start_time", "paragraph__position"
        )
    )


def is_public() -> Exists:
    """For a Matter row: whether the public may know of it, one of its published
    paragraphs being open. (Read from the paragraph rows of justerat protocols, which
    the database keeps as they were sealed, so as the public version has them.)"""
    return Exists(public_links().filter(matter=OuterRef("pk"), paragraph__is_confidential=False))


def published_links(matter: Matter) -> QuerySet[MatterLink]:
    return public_links().filter(matter=matter)


def heading(matter: Matter) -> tuple[str, str] | None:
    """The matter's diarienummer and name as its first open published paragraphs
    print them (the first with a diarienummer, the first of all), or None: then the
    public may not know of the matter. (Whether a paragraph is open is read from the
    rows of justerat protocols, which the database keeps as they were sealed, so as
    the public version has them; what is shown comes from the public version.)"""
    open_links = published_links(matter).filter(paragraph__is_confidential=False)
    first = open_links.first()
    if first is None:
        return None
    numbered = (
        first
        if first.paragraph.diarienummer
        else open_links.exclude(paragraph__diarienummer="").first()
    )
    name = steps([first])
    reference = steps([numbered]) if numbered else []
    return (reference[0].diarienummer if reference else "", name[0].title if name else "")


def steps(links) -> list[Step]:
    """The linked paragraphs as their public versions say them."""
    return _steps([(link.paragraph.meeting, link.paragraph.position) for link in links])


def with_paragraph(meeting: Meeting, position: int, shown: int) -> list[MatterLink]:
    """The first `shown` published links of the matter the paragraph belongs to (one
    query; none when it belongs to none)."""
    here = MatterLink.objects.filter(paragraph__meeting=meeting, paragraph__position=position)
    found = public_links().filter(matter__in=here.values("matter")).select_related("matter")
    return list(found[:shown])


def reports(meeting: Meeting, position: int) -> tuple[list[Step], list[Step]]:
    """Återrapportering, for a paragraph of a published protocol: the published
    paragraphs whose uppdrag it reports back, and the published paragraphs that report
    back the uppdrag of its decisions (one query)."""
    origin = "uppdrag__decision__paragraph__"
    reporting_here = Q(report__meeting=meeting, report__position=position) & is_published(
        via=f"{origin}meeting__"
    )
    reported_here = Q(
        **{f"{origin}meeting": meeting, f"{origin}position": position}
    ) & is_published(via="report__meeting__")
    found = (
        FollowUp.objects.filter(reporting_here | reported_here)
        .select_related(
            f"{origin}meeting__body__organisation",
            f"{origin}meeting__public_version",
            "report__meeting__body__organisation",
            "report__meeting__public_version",
        )
        .order_by("pk")
    )
    answered: dict[tuple[int, int], Meeting] = {}
    reported_in: dict[tuple[int, int], Meeting] = {}
    for follow_up in found:
        first = follow_up.uppdrag.decision.paragraph
        later = follow_up.report
        if later is not None and (later.meeting_id, later.position) == (meeting.pk, position):
            answered.setdefault((first.meeting_id, first.position), first.meeting)
        elif later is not None:
            reported_in.setdefault((later.meeting_id, later.position), later.meeting)
    return _in_order(answered), _in_order(reported_in)


def _in_order(found: dict[tuple[int, int], Meeting]) -> list[Step]:
    pairs = sorted(found.items(), key=lambda item: (item[1].date, item[1].start_time, item[0][1]))
    return _steps([(m, position) for (_pk, position), m in pairs])


def public_list(organisation_id: int) -> QuerySet[Matter]:
    """The organisation's public matters, the one handled latest first."""
    latest = Max(
        "links__paragraph__meeting__date",
        filter=is_published(via="links__paragraph__meeting__")
        & Q(links__paragraph__is_struck=False),
    )
    return (
        Matter.objects.filter(is_public(), organisation_id=organisation_id)
        .annotate(latest=latest)
        .order_by("-latest", "-pk")
    )


def headings(listed: list[Matter]) -> dict[int, tuple[str, str]]:
    """Each listed matter's diarienummer and name as its first open published
    paragraphs print them (one query for the page, each public version read once)."""
    links = list(
        public_links().filter(matter__in=[m.pk for m in listed], paragraph__is_confidential=False)
    )
    contents: dict = {}
    found: dict[int, tuple[str, str]] = {}
    for link in links:
        said = _steps([(link.paragraph.meeting, link.paragraph.position)], contents)
        if not said:
            continue
        step = said[0]
        reference, name = found.get(link.matter_id, ("", ""))
        found[link.matter_id] = (reference or step.diarienummer, name or step.title)
    return found
