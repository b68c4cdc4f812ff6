"""The OParl 1.1 API's views: GET only, JSON, readable from any origin, with an
ETag and 304 on revalidation; anonymous answers are shared through the page
cache (meetings/public/page_cache.py keys the API on its whole query string)."""

import hashlib
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from meetings.models import Handling, OpenDataDeletion, Paragraph
from meetings.public.oparl import lists, objects, papers
from meetings.public.oparl.lists import BadRequest, Segment, gone
from members.models import Organisation

# Short, so that a client's own cache stays near the archive; revalidation is a 304.
MAX_AGE = 60
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
    "Access-Control-Max-Age": "86400",
}


def _json(request: HttpRequest, data, status: int = 200) -> HttpResponse:
    body = objects.dumps(data)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {**CORS, "ETag": etag}
    if status == 200:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:  # a 304 carries the validators and caching (RFC 9110)
            for name, value in headers.items():
                not_modified[name] = value
            patch_cache_control(not_modified, public=True, max_age=MAX_AGE)
            return not_modified
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    if status == 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """OParl 1.1's error object (2.9): `type`, a `message` for the reader in the
    language of the content, and `debug`; always with a status that says error."""
    debug = f"{status} {HTTPStatus(status).phrase}: {request.method} {request.get_full_path()}"
    return _json(
        request,
        {"type": objects.type_of("Error"), "message": message, "debug": debug},
        status=status,
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    return _error(request, 404, _("There is no such object in this archive."))


def _preflight() -> HttpResponse:
    """A browser asks before a cross-origin GET that sends If-None-Match."""
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no content
    for name, value in {**CORS, **PREFLIGHT}.items():
        response[name] = value
    return response


def api(view):
    """GET and HEAD (and the CORS preflight); anything else is a 405, a bad filter
    or page number a 400 with the reason, all in JSON with CORS."""

    def answer(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight()
        if request.method not in ("GET", "HEAD"):
            refused = _error(request, 405, _("The open-data API only answers GET."))
            refused["Allow"] = "GET, HEAD, OPTIONS"
            return refused
        try:
            found = view(request, *args, **kwargs)
        except BadRequest as refused:
            return _error(request, 400, str(refused))
        if found is None:
            return _not_found(request)
        if request.GET.get("omit_internal") == "true":
            found = objects.without_internal(found)
        return _json(request, found)

    answer.__name__ = view.__name__
    answer.__doc__ = view.__doc__
    # Read-only and without cookies of its own: a POST is refused above, not by CSRF.
    return csrf_exempt(answer)


def _deleted(kind: str, object_id) -> dict | None:
    found = OpenDataDeletion.objects.filter(kind=kind, object_id=str(object_id)).first()
    return objects.deleted(kind, found, objects.DELETED_TYPES[kind]) if found else None


def _kind_type(deletion: OpenDataDeletion) -> str:
    return objects.DELETED_TYPES[deletion.kind]


def _organisation(pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


# --- Entry point and bodies ------------------------------------------------------


@api
def system(request):
    return objects.system(list(Organisation.objects.only("created", "modified")))


@api
def bodies(request):
    filters = lists.Filters.read(request.GET)
    return lists.paginate(
        request,
        Segment(filters.on(lists.organisations()), lists.body_objects),
        gone(filters.on_deletions(lists.deletions("body")), _kind_type),
    )


@api
def body(request, pk: int):
    found = _organisation(pk)
    if found is None:
        return _deleted("body", pk)
    return lists.body_objects([found])[0]


def _body_list(view):
    """A list of one body (organisation): 404 when there is none, deleted or not."""

    @api
    def listed(request, pk: int):
        if not Organisation.objects.filter(pk=pk).exists():
            return None
        return view(request, pk, lists.Filters.read(request.GET))

    listed.__name__ = view.__name__
    return listed


@_body_list
def body_organizations(request, pk, filters):
    deleted = lists.deletions("organization", pk) | lists.deletions("party", pk)
    return lists.paginate(
        request,
        Segment(filters.on(lists.organizations(pk)), lists.organization_objects),
        Segment(filters.on(lists.parties(pk)), lambda rows: [objects.party(p) for p in rows]),
        gone(filters.on_deletions(deleted), _kind_type),
    )


@_body_list
def body_people(request, pk, filters):
    return lists.paginate(
        request,
        Segment(filters.on(lists.people(pk)), lists.person_objects),
        gone(filters.on_deletions(lists.deletions("person", pk)), _kind_type),
    )


@_body_list
def body_memberships(request, pk, filters):
    return lists.paginate(
        request,
        Segment(filters.on(lists.memberships(pk)), lists.membership_objects),
        gone(filters.on_deletions(lists.deletions("membership", pk)), _kind_type),
    )


@_body_list
def body_meetings(request, pk, filters):
    rows = lists.meetings().filter(body__organisation_id=pk)
    return lists.paginate(
        request,
        Segment(lists.filter_meetings(rows, filters), lists.meeting_objects),
        gone(filters.on_deletions(lists.deletions("meeting", pk)), _kind_type),
    )


@_body_list
def body_locations(request, pk, filters):
    rows = lists.meetings().filter(lists.with_place(), body__organisation_id=pk)
    return lists.paginate(
        request,
        Segment(lists.filter_meetings(rows, filters), lists.location_objects),
        gone(filters.on_deletions(lists.deletions("location", pk)), _kind_type),
    )


@_body_list
def body_agenda_items(request, pk, filters):
    """Every agenda item of the body's meetings in the API, as its meeting embeds it."""
    return lists.paginate(
        request,
        Segment(lists.agenda_items(pk, filters), lists.agenda_item_objects),
        gone(filters.on_deletions(lists.deletions("agendaItem", pk)), _kind_type),
    )


@_body_list
def body_files(request, pk, filters):
    """Every public file: the protocols' public versions, their public bilagor, the
    public handlingar of coming meetings; and, to a synchronising client, the files
    gone since (a handling removed)."""
    protocols, bilagor, handlingar = lists.file_objects(lists.Embedded())
    return lists.paginate(
        request,
        Segment(lists.protocol_files(pk, filters), protocols),
        Segment(lists.bilaga_files(pk, filters), bilagor),
        Segment(lists.handling_files(pk, filters), handlingar),
        gone(filters.on_deletions(lists.deletions("file", pk)), _kind_type),
    )


@_body_list
def body_consultations(request, pk, filters):
    """The Beratungen: each published paragraph of a public matter (ärende)."""
    rows = lists.filter_papers(papers.consultations(pk), filters)
    return lists.paginate(request, Segment(rows, papers.consultation_objects))


@_body_list
def body_papers(request, pk, filters):
    """The Drucksachen: the public matters (ärenden, by diarienummer), each with its
    consultations."""
    rows = lists.filter_papers(papers.papers(pk), filters)
    return lists.paginate(request, Segment(rows, papers.paper_objects))


@_body_list
def body_legislative_terms(request, pk, filters):
    organisation = _organisation(pk)
    terms = [
        objects.legislative_term(organisation, year)
        for year in lists.term_years([organisation])[pk]
    ]
    created = filters.created_since, filters.created_until
    modified = filters.modified_since, filters.modified_until
    if any(created) or any(modified):
        # A mandatperiod's created and modified are its organisation's creation.
        moment = organisation.created
        if not all(_within(moment, *bounds) for bounds in (created, modified)):
            terms = []
    return lists.paginate(request, Segment(terms, lambda rows: rows))


def _within(moment, since, until) -> bool:
    return (since is None or moment >= since) and (until is None or moment <= until)


@api
def legislative_term(request, pk: int, year: int):
    organisation = _organisation(pk)
    if organisation is None or year not in lists.term_years([organisation])[pk]:
        return None
    return objects.legislative_term(organisation, year)


# --- Organizations, people, seats -------------------------------------------------


@api
def organization(request, pk: int):
    found = lists.organizations_all().filter(pk=pk).first()
    if found is None:
        return _deleted("organization", pk)
    return lists.organization_objects([found])[0]


@api
def organization_meetings(request, pk: int):
    if not lists.organizations_all().filter(pk=pk).exists():
        return None
    filters = lists.Filters.read(request.GET)
    rows = lists.meetings().filter(body_id=pk)
    return lists.paginate(
        request, Segment(lists.filter_meetings(rows, filters), lists.meeting_objects)
    )


@api
def party(request, pk: int):
    found = lists.parties_all().filter(pk=pk).first()
    return objects.party(found) if found else _deleted("party", pk)


@api
def person(request, pk: int):
    found = lists.people_all().filter(pk=pk).first()
    return lists.person_objects([found])[0] if found else _deleted("person", pk)


@api
def membership(request, pk: int):
    found = lists.memberships_all().filter(pk=pk).first()
    return objects.membership(found) if found else _deleted("membership", pk)


# --- Meetings and what is embedded in them ----------------------------------------


def _meeting_object(pk: int) -> dict | None:
    found = lists.meetings().filter(pk=pk).first()
    return lists.meeting_objects([found])[0] if found else None


@api
def meeting(request, pk: int):
    return _meeting_object(pk) or _deleted("meeting", pk)


def _embedded(meeting_pk: int, wanted: str) -> dict | None:
    """An object embedded in a meeting (an agenda item, a file, the location), found
    by its id in the meeting as the API shows it: one source for both answers."""
    found = _meeting_object(meeting_pk)
    if found is None:
        return None
    for obj in objects.embedded(found):
        if obj.get("id") == wanted:
            return obj
    return None


def _meeting_of(kind: str, object_id: str, live) -> int | None:
    """The meeting an agenda item or handling belongs to, or belonged to when it was
    removed (its meeting shows it as the kallelse was sent, until the next one)."""
    found = live.values_list("meeting_id", flat=True).first()
    if found is None:
        found = (
            OpenDataDeletion.objects.filter(kind=kind, object_id=object_id)
            .values_list("meeting_id", flat=True)
            .first()
        )
    return found


@api
def agenda_item(request, pk: int):
    """As its meeting shows it; deleted once its meeting no longer does."""
    meeting_pk = _meeting_of("agendaItem", str(pk), Paragraph.objects.filter(pk=pk))
    found = _embedded(meeting_pk, objects.of("agenda_item", pk)) if meeting_pk else None
    return found or _deleted("agendaItem", pk)


@api
def paper(request, pk: int):
    found = papers.papers().filter(pk=pk).first()
    return papers.paper_objects([found])[0] if found else None


@api
def consultation(request, pk: int):
    found = papers.consultations().filter(pk=pk).first()
    objs = papers.consultation_objects([found]) if found else []
    return objs[0] if objs else None


@api
def location(request, pk: int):
    return _embedded(pk, objects.of("location", pk)) or _deleted("location", pk)


@api
def file_protocol(request, meeting: int):
    return _embedded(meeting, objects.of("file_protocol", meeting))


@api
def file_bilaga(request, meeting: int, number: int):
    return _embedded(meeting, objects.of("file_bilaga", meeting, number))


@api
def file_handling(request, pk: int):
    meeting_pk = _meeting_of("file", f"handling/{pk}", Handling.objects.filter(pk=pk))
    found = _embedded(meeting_pk, objects.of("file_handling", pk)) if meeting_pk else None
    return found or _deleted("file", f"handling/{pk}")


@api
def not_found(request):
    return None
