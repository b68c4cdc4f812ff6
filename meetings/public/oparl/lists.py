"""OParl's external lists: pages of objects with `data`, `pagination` and `links`,
filtered by `created_since`, `created_until`, `modified_since`, `modified_until`
(every list must take them), in a stable order (the database key), the objects
deleted since listed after the live ones. Each loader reads a page in a constant
number of queries, whatever its length (tests/oparl/test_api.py counts them).
"""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.actions.publication import is_published
from meetings.documents import public_version
from meetings.models import (
    Attendance,
    Bilaga,
    Handling,
    Justerare,
    Kallelse,
    Meeting,
    OpenDataDeletion,
    Paragraph,
)
from meetings.public import page_cache
from meetings.public.oparl import files, objects, papers
from meetings.public.oparl.files import Facts
from meetings.rules.masking import mask
from members.models import Body, Membership, Organisation, Party, Person
from minutes_site.links import absolute

PAGE_SIZE = 100  # OParl recommends at most 100 objects a page
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
# The range of times a filter takes: any real question falls within it.
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


class BadRequest(Exception):
    """A list asked for with a filter or page that is none; the message says which."""


@dataclasses.dataclass
class Filters:
    created_since: datetime.datetime | None = None
    created_until: datetime.datetime | None = None
    modified_since: datetime.datetime | None = None
    modified_until: datetime.datetime | None = None

    @classmethod
    def read(cls, query: QueryDict) -> "Filters":
        found = {}
        for name in FILTERS:
            text = query.get(name)
            if text is None:
                continue
            text = text.strip().replace(" ", "+")
            try:
                # A date and a time: a bare date would quietly mean its midnight.
                moment = parse_datetime(text) if "T" in text.upper() else None
            except ValueError:
                moment = None
            if moment is None:
                raise BadRequest(
                    _("%(name)s must be a date and time such as 2026-01-31T12:00:00+01:00.")
                    % {"name": name}
                )
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            if not EARLIEST <= moment <= LATEST:
                # 0001-01-01 or 9999-12-31 with a zone is no moment the database (or
                # `through`) can take: refused, as nothing is stored then anyway.
                raise BadRequest(
                    _("%(name)s must be a date and time between the years 1900 and 9000.")
                    % {"name": name}
                )
            found[name] = moment
        return cls(**found)

    def on(self, rows: QuerySet, *, created: str = "created", modified: str = "modified"):
        """The rows whose `created` and `modified` (fields or annotations) are in range."""
        if self.created_since:
            rows = rows.filter(**{f"{created}__gte": self.created_since})
        if self.created_until:
            rows = rows.filter(**{f"{created}__lt": through(self.created_until)})
        if self.modified_since:
            rows = rows.filter(**{f"{modified}__gte": self.modified_since})
        if self.modified_until:
            rows = rows.filter(**{f"{modified}__lt": through(self.modified_until)})
        return rows

    def on_deletions(self, rows: QuerySet) -> QuerySet:
        """What went, for a client that synchronises: OParl lists a deleted object
        only to a reader asking with `modified_since` (spec 2.8); a full read lists
        what exists. A deletion's row is made when the object goes: its created is
        the object's modified."""
        if self.modified_since is None:
            return rows.none()
        return self.on(rows, created="object_created", modified="created")


def through(until: datetime.datetime) -> datetime.datetime:
    """The end of an inclusive `_until` bound: times are shown to the second, kept to
    the microsecond, so "until 16:24:46" takes in 16:24:46.7 as well."""
    if until.microsecond:
        return until + datetime.timedelta(microseconds=1)
    return until + datetime.timedelta(seconds=1)


def page_number(query: QueryDict, name: str = "page") -> int:
    # page_asked takes ASCII digits only ("²".isdigit() is true, and int() refuses it).
    number = page_cache.page_asked(query, name) if name in query else 1
    if number is None or number > 10**6:
        raise BadRequest(_("%(name)s must be a whole number from 1.") % {"name": name})
    return number


def elements_per_page(query: QueryDict) -> int:
    """The client may ask for fewer (OParl `elementsPerPage`), never for more."""
    if "elementsPerPage" not in query:
        return PAGE_SIZE
    return min(page_number(query, "elementsPerPage"), PAGE_SIZE)


class Segment:
    """A part of a list: rows in key order (a queryset, or a short list made in
    Python), and how a page of them becomes objects."""

    def __init__(self, rows, build):
        self.rows, self.build = rows, build

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def slice(self, start: int, stop: int) -> list:
        if isinstance(self.rows, QuerySet):
            return list(self.rows.order_by("pk")[start:stop])
        return self.rows[start:stop]


def gone(rows: QuerySet, oparl_type_of) -> Segment:
    """The deletions of a list, after its live objects."""
    return Segment(
        rows, lambda found: [objects.deleted(d.kind, d, oparl_type_of(d)) for d in found]
    )


def paginate(request: HttpRequest, *segments: Segment) -> dict:
    """One list page over the segments in turn, each counted and sliced in the
    database (two queries a segment, and what its `build` needs for the page)."""
    size = elements_per_page(request.GET)
    number = page_number(request.GET)
    page_cache.listed(request, number)  # kept only if it exists (below: else refused)
    start, stop = (number - 1) * size, number * size
    data, offset = [], 0
    for segment in segments:
        count = segment.count()
        if start < offset + count and stop > offset:
            rows = segment.slice(max(0, start - offset), stop - offset)
            data += segment.build(rows)
        offset += count
    pages = max(1, -(-offset // size))
    if number > pages:
        raise BadRequest(
            ngettext(
                "There is %(pages)s page; page %(number)s is none.",
                "There are %(pages)s pages; page %(number)s is none.",
                pages,
            )
            % {"pages": pages, "number": number}
        )
    return {
        "data": data,
        "pagination": {
            "totalElements": offset,
            "elementsPerPage": size,
            "currentPage": number,
            "totalPages": pages,
        },
        "links": _links(request, number, pages),
    }


def _links(request: HttpRequest, number: int, pages: int) -> dict:
    kept = {
        k: request.GET[k]
        for k in (*FILTERS, "elementsPerPage", "omit_internal")
        if k in request.GET
    }

    def at(n: int) -> str:
        query = urlencode({**kept, **({"page": n} if n > 1 else {})})
        return absolute(request.path) + (f"?{query}" if query else "")

    links = {"first": at(1), "self": at(number), "last": at(pages)}
    if number > 1:
        links["prev"] = at(min(number - 1, pages))
    if number < pages:
        links["next"] = at(number + 1)
    return links


def deletions(kind: str, organisation_id: int | None = None) -> QuerySet:
    gone = OpenDataDeletion.objects.filter(kind=kind)
    if organisation_id is not None:
        gone = gone.filter(organisation_id=organisation_id)
    return gone


# --- What the API offers, and how a page of it is read -------------------------


def in_api() -> Q:
    """The meetings the API shows: the published protocols and the coming meetings
    whose kallelse is out (the same as the public pages show)."""
    return is_published() | Q(Exists(Kallelse.objects.filter(meeting=OuterRef("pk"))))


def meetings() -> QuerySet[Meeting]:
    latest_kallelse = Subquery(
        Kallelse.objects.filter(meeting=OuterRef("pk")).order_by("-modified").values("modified")[:1]
    )
    # The published protocols that answer a paragraph of the meeting: their
    # publication adds `sv:answeredBy` to its agenda item, a change of the meeting.
    answering = Meeting.objects.filter(
        is_published(), paragraphs__responds_to__meeting=OuterRef("pk")
    ).order_by()
    return (
        Meeting.objects.filter(in_api())
        .select_related("body__organisation", "public_version")
        .annotate(
            **files.kept("public_version__pdf"),
            api_published=Q(is_published()),
            answered_on=Subquery(answering.order_by("-publish_on").values("publish_on")[:1]),
            api_modified=Greatest(
                F("modified"),
                Coalesce(F("public_version__modified"), F("modified")),
                Coalesce(latest_kallelse, F("modified")),
                Coalesce(
                    Subquery(
                        answering.order_by("-public_version__modified").values(
                            "public_version__modified"
                        )[:1]
                    ),
                    F("modified"),
                ),
            ),
        )
    )


def filter_meetings(rows: QuerySet, filters: Filters) -> QuerySet:
    """By created, and by modified as objects.modified_of computes it: the latest of
    the row, its public version and kallelse (api_modified), and the start of its
    publication day for a published protocol."""
    rows = Filters(filters.created_since, filters.created_until).on(rows)
    if filters.modified_since:
        since = timezone.localtime(filters.modified_since)
        first_day = since.date() + datetime.timedelta(days=since.time() != datetime.time())
        rows = rows.filter(
            Q(api_modified__gte=filters.modified_since)
            | Q(is_published(), publish_on__gte=first_day)
            | Q(answered_on__gte=first_day)
        )
    if filters.modified_until:
        last_day = timezone.localtime(filters.modified_until).date()
        rows = (
            rows.filter(api_modified__lt=through(filters.modified_until))
            .exclude(Q(is_published()) & Q(publish_on__gt=last_day))
            .exclude(answered_on__gt=last_day)
        )
    return rows


def filter_papers(rows: QuerySet, filters: Filters) -> QuerySet:
    """The rows (papers.papers or papers.consultations) the filters ask for: by created, and by
    modified as `papers.modified_of` says it (a protocol published on a later day than its
    public version was made changes its matter that day)."""
    rows = Filters(filters.created_since, filters.created_until).on(rows)
    if filters.modified_since:
        since = timezone.localtime(filters.modified_since)
        first_day = since.date() + datetime.timedelta(days=since.time() != datetime.time())
        rows = rows.filter(
            Q(api_modified__gte=filters.modified_since) | Q(api_published_on__gte=first_day)
        )
    if filters.modified_until:
        last_day = timezone.localtime(filters.modified_until).date()
        rows = rows.filter(api_modified__lt=through(filters.modified_until)).exclude(
            api_published_on__gt=last_day
        )
    return rows


def meeting_objects(rows: list[Meeting]) -> list[dict]:
    """The Meeting objects of a page, with their agenda items and files: five queries."""
    extra = meeting_facts(rows)
    return [objects.meeting(m, extra) for m in rows]


def meeting_facts(rows: list[Meeting]) -> objects.MeetingFacts:
    """Everything the page's Meeting objects need besides the rows, in at most six
    queries whatever the number of meetings."""
    published_ids = [m.pk for m in rows if objects.is_published_row(m)]
    called_ids = [m.pk for m in rows if not objects.is_published_row(m)]
    facts = Facts()
    bilaga_files = {}
    if published_ids:
        for meeting_id, number, name, size, sha512 in (
            Bilaga.objects.filter(meeting__in=published_ids)
            .exclude(file="")
            .annotate(**files.kept("file"))
            .values_list("meeting_id", "number", "file", "kept_size", "kept_sha512")
        ):
            bilaga_files[(meeting_id, number)] = name
            facts.want(name, size=size, sha512=sha512)
    for m in rows:
        if objects.is_published_row(m):
            facts.want(
                m.public_version.pdf.name,
                size=getattr(m, "kept_size", None),
                sha512=getattr(m, "kept_sha512", ""),
            )
    # The paragraphs' keys (the agenda items' ids) and links; nothing of their content.
    paragraph_keys, order_keys, responds, item_created, consultations = {}, {}, {}, {}, {}
    for pk, meeting_id, position, struck, target, created, consultation in (
        Paragraph.objects.filter(meeting__in=[m.pk for m in rows])
        .annotate(consultation=papers.consultation_key())
        .order_by("meeting", "position")
        .values_list(
            "pk", "meeting_id", "position", "is_struck", "responds_to_id", "created", "consultation"
        )
    ):
        paragraph_keys[(meeting_id, position)] = pk
        item_created[pk] = created
        if consultation and meeting_id in published_ids:
            consultations[pk] = consultation
        if not struck:
            order_keys.setdefault(meeting_id, []).append(pk)
        if target and meeting_id in published_ids:
            responds[pk] = target
    links, answered_by = {}, {}
    if published_ids:
        public_paragraphs = Paragraph.objects.filter(is_published(via="meeting__"))
        mine = [
            pk for (meeting_id, _p), pk in paragraph_keys.items() if meeting_id in published_ids
        ]
        linked = public_paragraphs.filter(
            Q(pk__in=set(responds.values())) | Q(responds_to__in=mine, is_confidential=False)
        ).values_list("pk", "responds_to_id")
        public_targets = set()
        for pk, target in linked:
            public_targets.add(pk)
            if target in mine:
                answered_by.setdefault(target, []).append(pk)
        links = {pk: target for pk, target in responds.items() if target in public_targets}
    kallelser, handlingar = {}, {}
    if called_ids:
        kallelser = public_version.latest_kallelser(called_ids)
        listed = {
            h["id"]
            for sent in kallelser.values()
            for item in objects.agenda_of_called(sent)
            for h in item["handlingar"]
        }
        for h in Handling.objects.public().filter(pk__in=listed, meeting__in=called_ids):
            handlingar[h.pk] = h
            facts.want(h.file.name)
    people = {}
    if published_ids:
        seen = set()
        organisations = {m.body.organisation_id for m in rows}
        for pk, organisation_id, name in Person.objects.filter(
            organisation__in=organisations
        ).values_list("pk", "organisation_id", "name"):
            if (organisation_id, name) in seen:  # two people of one name: neither is linked
                people.pop((organisation_id, name), None)
                continue
            seen.add((organisation_id, name))
            people[(organisation_id, name)] = pk
    return objects.MeetingFacts(
        consultations=consultations,
        bilaga_files=bilaga_files,
        kallelser=kallelser,
        handlingar=handlingar,
        paragraph_keys=paragraph_keys,
        order_keys=order_keys,
        links=links,
        item_created=item_created,
        answered_by=answered_by,
        people=people,
        facts=facts,
    )


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def term_years(rows: list[Organisation]) -> dict[int, list[int]]:
    """The mandatperioder of each organisation: from the first seat or meeting it
    holds to this year (two queries for the page)."""
    ids = [o.pk for o in rows]
    this_year = timezone.localdate().year
    first = {o.pk: this_year for o in rows}
    for org_id, day in (
        Membership.objects.filter(body__organisation__in=ids)
        .order_by()
        .values_list("body__organisation")
        .annotate(first=Min("start"))
    ):
        first[org_id] = min(first[org_id], day.year)
    for org_id, day in (
        Meeting.objects.filter(in_api(), body__organisation__in=ids)
        .order_by()
        .values_list("body__organisation")
        .annotate(first=Min("date"))
    ):
        first[org_id] = min(first[org_id], day.year)
    return {pk: objects.mandate_years(year, this_year) for pk, year in first.items()}


def body_objects(rows: list[Organisation]) -> list[dict]:
    years = term_years(rows)
    return [objects.body(o, years[o.pk]) for o in rows]


def organizations(organisation_id: int) -> QuerySet[Body]:
    return Body.objects.filter(organisation_id=organisation_id).select_related("organisation")


def organization_objects(rows: list[Body]) -> list[dict]:
    seats: dict[int, list[int]] = {b.pk: [] for b in rows}
    for body_id, pk in (
        Membership.objects.filter(body__in=list(seats)).order_by("pk").values_list("body", "pk")
    ):
        seats[body_id].append(pk)
    return [objects.organization(b, seats[b.pk]) for b in rows]


def parties(organisation_id: int) -> QuerySet[Party]:
    return Party.objects.filter(organisation_id=organisation_id)


def people(organisation_id: int) -> QuerySet[Person]:
    return people_all().filter(organisation_id=organisation_id)


def people_all() -> QuerySet[Person]:
    """The people the open data names: those who hold a seat in a body (the
    register is public), and those a published protocol names (present or absent,
    chairing, keeping or justering it). Nobody whom only a draft, a protocol under
    justering or a coming meeting names."""
    published = Meeting.objects.filter(is_published())
    named = (
        Q(Exists(Membership.objects.filter(person=OuterRef("pk"))))
        | Q(Exists(Attendance.objects.filter(person=OuterRef("pk"), meeting__in=published)))
        | Q(Exists(published.filter(Q(chair=OuterRef("pk")) | Q(secretary=OuterRef("pk")))))
        | Q(Exists(Justerare.objects.filter(person=OuterRef("pk"), meeting__in=published)))
    )
    return Person.objects.filter(named)


def person_objects(rows: list[Person]) -> list[dict]:
    """Each with its seats; the title of one without a seat is the one the latest
    published protocol gives them (masked as the public version is), never the
    register's free text (one query each for seats and titles)."""
    seats: dict[int, list[Membership]] = {p.pk: [] for p in rows}
    for seat in Membership.objects.filter(person__in=list(seats)).order_by("pk"):
        seats[seat.person_id].append(seat)
    titles: dict[int, str] = {}
    unseated = [pk for pk, held in seats.items() if not held]
    for person_id, role_title in (
        Attendance.objects.filter(
            person__in=unseated, meeting__in=Meeting.objects.filter(is_published())
        )
        .order_by("person", "-meeting__date", "-meeting__start_time")
        .values_list("person_id", "role_title")
    ):
        titles.setdefault(person_id, mask(role_title))
    return [
        objects.person(p, seats[p.pk], title=p.title if seats[p.pk] else titles.get(p.pk, ""))
        for p in rows
    ]


def memberships(organisation_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(body__organisation_id=organisation_id)


def membership_objects(rows: list[Membership]) -> list[dict]:
    return [objects.membership(m) for m in rows]


def location_objects(rows: list[Meeting]) -> list[dict]:
    """A meeting's place as a Location (one per meeting; a meeting without a place is
    not listed)."""
    found = []
    latest_kallelse = public_version.latest_kallelser(
        [m.pk for m in rows if not objects.is_published_row(m)]
    )
    for m in rows:
        if objects.is_published_row(m):
            head = objects.load(m.public_version)["meeting"]
            place, remote = head["place"], head["is_remote"]
        else:
            head = objects.called_head(m, latest_kallelse.get(m.pk))
            place, remote = head.place, head.is_remote
        found.append(objects.location(m, place=place, remote=remote))
    return [f for f in found if f]


def with_place() -> Q:
    return ~Q(place="") | Q(is_remote=True)


def organizations_all() -> QuerySet[Body]:
    return Body.objects.select_related("organisation")


def parties_all() -> QuerySet[Party]:
    return Party.objects.all()


def memberships_all() -> QuerySet[Membership]:
    return Membership.objects.all()


# --- The Body's lists of what its meetings embed: agenda items and files ----------
# Each is a list of rows (paragraphs, stored files) in key order; a page's objects are
# taken from the Meeting objects of the page's meetings (one source: the same object
# as embedded), built together in the queries of meeting_objects.


def api_meetings(organisation_id: int, filters: Filters) -> QuerySet[Meeting]:
    """The meetings of the organisation the API shows, by the filters on modified
    (an embedded object is modified with its meeting: objects.modified_of)."""
    rows = meetings().filter(body__organisation_id=organisation_id)
    return filter_meetings(
        rows, Filters(None, None, filters.modified_since, filters.modified_until)
    )


def agenda_items(organisation_id: int, filters: Filters) -> QuerySet[Paragraph]:
    """The paragraphs the API shows as agenda items: every paragraph of a published
    protocol (a confidential one by its public title), and of a coming meeting those
    its latest kallelse could list (an item added after it waits for the next)."""
    shown = api_meetings(organisation_id, filters).values("pk")
    latest_kallelse = Subquery(
        Kallelse.objects.filter(meeting=OuterRef("meeting"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    rows = Paragraph.objects.filter(meeting__in=shown).filter(
        Q(is_published(via="meeting__")) | Q(created__lte=latest_kallelse)
    )
    return Filters(filters.created_since, filters.created_until).on(rows)


class Embedded:
    """The objects the meetings of one list page embed, by id (agenda items, files,
    locations): each meeting built once for the page, however many segments ask."""

    def __init__(self):
        self.built: set[int] = set()
        self.found: dict[str, dict] = {}

    def of(self, meeting_ids: set[int], rows: list[Meeting] | None = None) -> dict[str, dict]:
        missing = meeting_ids - self.built
        if missing:
            if rows is None:
                rows = list(meetings().filter(pk__in=missing))
            for m in meeting_objects([r for r in rows if r.pk in missing]):
                for obj in objects.embedded(m):
                    self.found.setdefault(obj["id"], obj)
            self.built |= missing
        return self.found


def picked(page: Embedded, id_of, meeting_of=None):
    """How a page's rows become the objects their meetings embed, by `id_of(row)`: the
    meetings are `meeting_of(row)`'s, or the rows themselves (meetings) without it."""

    def build(rows: list) -> list[dict]:
        if meeting_of is None:
            found = page.of({m.pk for m in rows}, rows)
        else:
            found = page.of({meeting_of(r) for r in rows})
        ids = [id_of(r) for r in rows]
        return [found[i] for i in ids if i in found]

    return build


def agenda_item_objects(rows: list[Paragraph]) -> list[dict]:
    return picked(Embedded(), lambda p: objects.of("agenda_item", p.pk), _meeting)(rows)


def protocol_files(organisation_id: int, filters: Filters) -> QuerySet[Meeting]:
    rows = api_meetings(organisation_id, filters).filter(is_published())
    created = Filters(filters.created_since, filters.created_until)
    return created.on(rows, created="public_version__created")


def bilaga_files(organisation_id: int, filters: Filters) -> QuerySet[Bilaga]:
    published = api_meetings(organisation_id, filters).filter(is_published()).values("pk")
    rows = Bilaga.objects.filter(meeting__in=published, is_public=True).exclude(file="")
    created = Filters(filters.created_since, filters.created_until)
    return created.on(rows, created="meeting__public_version__created")


def handling_files(organisation_id: int, filters: Filters) -> QuerySet[Handling]:
    called = api_meetings(organisation_id, filters).exclude(is_published()).values("pk")
    rows = Handling.objects.public().filter(meeting__in=called)
    return Filters(filters.created_since, filters.created_until).on(rows)


def file_objects(page: Embedded):
    """How each segment of the file list becomes objects, sharing the page's meetings
    (a protocol's bilagor on the same page cost no second build)."""
    return (
        picked(page, lambda m: objects.of("file_protocol", m.pk)),
        picked(page, lambda b: objects.of("file_bilaga", b.meeting_id, b.number), _meeting),
        picked(page, lambda h: objects.of("file_handling", h.pk), _meeting),
    )


def _meeting(row) -> int:
    return row.meeting_id
