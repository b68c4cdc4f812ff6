import datetime
import functools
import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from meetings.actions.publication import is_published, published
from meetings.documents import archival, public_version, sealing, utdrag, verify_upload
from meetings.documents.document import document, signatures, with_headings
from meetings.documents.verification import verify, verify_imported
from meetings.models import (
    Bilaga,
    Handling,
    Kallelse,
    Matter,
    Meeting,
    Protokollsutdrag,
    Rattelse,
)
from meetings.public import accessibility, matters, page_cache
from meetings.public import search as search_engine
from meetings.rules import anslag as anslag_rules
from members.models import Body, Organisation
from minutes_site import ranges
from minutes_site.links import absolute


def home(request: HttpRequest) -> HttpResponse:
    """The archive's front page: every organisation on this installation."""
    response = render(
        request,
        "meetings/home.html",
        {"page": _page(request, Organisation.objects.order_by("name"))},
    )
    return _cacheable(request, response, 300)


class VerifyForm(forms.Form):
    file = forms.FileField(label=capfirst(_("the protocol (PDF)")))


def _verify_refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    form = VerifyForm(data={}, files={})
    form.is_valid()  # bound and checked, so that it can carry the error beside the field
    form.errors["file"] = form.error_class([message])
    return _verify_page(request, {"form": form}, status)


@csrf_exempt  # checked below, once the upload handler is in place (Django's docs' way)
def verify_protocol(request: HttpRequest) -> HttpResponse:
    """Anyone may check whether a PDF is an authentic document of this site. The file
    is read into memory only while it is a PDF within VERIFY_MAX_BYTES, then
    forgotten; nothing is stored."""
    limit = gettext("The file is larger than %(max)s.") % {
        "max": filesizeformat(settings.VERIFY_MAX_BYTES)
    }
    if request.method == "POST":
        wait = verify_upload.throttled(request)
        if wait:
            response = _verify_refused(
                request,
                gettext(
                    "Too many files have been checked from your address in the last minute: "
                    "wait %(seconds)s seconds and try again."
                )
                % {"seconds": wait},
                429,
            )
            response["Retry-After"] = str(wait)
            return response
        if verify_upload.too_large(request):
            return _verify_refused(request, limit, 413)
        handler = verify_upload.PdfOnlyUploadHandler(request)
        request.upload_handlers = [handler]
        return _verify_posted(request, handler, limit)
    return _verify_page(request, {"form": VerifyForm()})


@csrf_protect
def _verify_posted(request, handler, limit: str) -> HttpResponse:
    form = VerifyForm(request.POST, request.FILES)
    if handler.problem == "too_large":
        return _verify_refused(request, limit, 413)
    if not form.is_valid():
        return _verify_page(request, {"form": form}, 400)
    data = form.cleaned_data["file"].read()
    if not handler.is_pdf:
        # An imported original may be text: known by its SHA-256, or not at all.
        verdict = verify_imported(data)
        if verdict is None:
            return _verify_refused(
                request,
                gettext("The file is not a PDF, nor an imported original kept here."),
                400,
            )
        return _verify_page(request, {"form": VerifyForm(), "verdict": verdict})
    verdict = verify(data)
    return _verify_page(request, {"form": VerifyForm(), "verdict": verdict})


def _verify_page(request, context: dict, status: int = 200) -> HttpResponse:
    """The verification page, which also publishes the seal's certificate and its
    fingerprint: what a reader checks a PDF against without Paragraf."""
    return render(
        request,
        "meetings/verify.html",
        {**context, "seal": sealing.certificate_facts(), "tsa": sealing.tsa_facts()},
        status=status,
    )


def seal_certificate(request: HttpRequest) -> HttpResponse:
    """The seal's certificate (PEM), to check a protocol's seal with any tool."""
    return _certificate_download(request, sealing.certificate_facts(), "sigill.pem")


def tsa_certificate(request: HttpRequest) -> HttpResponse:
    """The time-stamping authority's root certificate(s) (PEM) this site trusts."""
    return _certificate_download(request, sealing.tsa_facts(), "tidsstampel-rot.pem")


def _certificate_download(request: HttpRequest, facts: dict | None, name: str) -> HttpResponse:
    if facts is None:
        raise Http404
    response = HttpResponse(facts["pem"], content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _readable_anywhere(_cacheable(request, response, 3600))


# --- The public archive -------------------------------------------------------


PAGE_SIZE = 25


def _cacheable(request: HttpRequest, response: HttpResponse, max_age: int) -> HttpResponse:
    """Shared caches may keep what an anonymous visitor sees, and revalidate it with
    its ETag (a 304 costs no transfer); a page rendered for a logged-in user (its
    header names them) stays private."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
        return response
    patch_cache_control(response, public=True, max_age=max_age)
    if response.status_code != 200 or response.streaming:
        return response
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _page(request, items, *, last_if_past: bool = False):
    """The page `sida` asks for (the first for what is no page number); a page past
    the last is not found (so that it cannot be kept as a page of its own), or is
    the last page with `last_if_past` (search, which is never kept)."""
    number = page_cache.page_asked(request.GET) or 1
    paginator = Paginator(items, PAGE_SIZE)
    if number > paginator.num_pages:
        if not last_if_past:
            raise Http404
        number = paginator.num_pages
    page = paginator.page(number)
    page_cache.listed(request, page.number)
    return page


UPCOMING_SIZE = 20


def _called() -> Exists:
    return Exists(Kallelse.objects.filter(meeting=OuterRef("pk")))


def organisation(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    # Coming meetings whose kallelse is out: their agenda is public then, their time
    # as the kallelse announced it.
    upcoming = list(
        Meeting.objects.filter(
            _called(),
            body__organisation=organisation,
            date__gte=timezone.localdate(),
            status__in=(Meeting.Status.KALLAT, Meeting.Status.INSTALLT),
        )
        .select_related("body__organisation")
        .order_by("date", "start_time")[:UPCOMING_SIZE]
    )
    agendas = public_version.latest_agendas([m.pk for m in upcoming])
    response = render(
        request,
        "meetings/public/organisation.html",
        {
            "organisation": organisation,
            "bodies": organisation.bodies.order_by("name"),
            "upcoming": [
                {"meeting": m, "head": public_version.called_head(agendas.get(m.pk, {}), m)}
                for m in upcoming
            ],
            "latest": published()
            .filter(body__organisation=organisation)
            .select_related("body__organisation")
            .order_by("-date", "-start_time")[:10],
        },
    )
    return _cacheable(request, response, 300)


def anslagstavla(request: HttpRequest, org: str) -> HttpResponse:
    """The notices of justering that are up today: posted on the publication day,
    taken down after the last day to appeal."""
    organisation = get_object_or_404(Organisation, slug=org)
    today = timezone.localdate()
    # Three weeks plus the longest holiday shift (Easter, Christmas) bounds the query.
    candidates = (
        published(today)
        .filter(
            body__organisation=organisation, publish_on__gte=today - datetime.timedelta(days=35)
        )
        .select_related("body__organisation")
        .order_by("-publish_on", "-date")
    )
    notices = [
        {
            "meeting": m,
            "posted": m.publish_on,
            "last_day": anslag_rules.last_day_to_appeal(m.publish_on),
            "take_down": anslag_rules.take_down_date(m.publish_on),
        }
        for m in candidates
        if anslag_rules.take_down_date(m.publish_on) > today
    ]
    response = render(
        request,
        "meetings/public/anslagstavla.html",
        {"organisation": organisation, "page": _page(request, notices)},
    )
    return _cacheable(request, response, 300)


def _body(org: str, body: str) -> Body:
    return get_object_or_404(
        Body.objects.select_related("organisation"), organisation__slug=org, slug=body
    )


def body(request: HttpRequest, org: str, body: str) -> HttpResponse:
    the_body = _body(org, body)
    years = (
        published()
        .filter(body=the_body)
        .values("date__year")
        .annotate(count=Count("id"))
        .order_by("-date__year")
    )
    response = render(
        request,
        "meetings/public/body.html",
        {"body": the_body, "years": years, "organisation": the_body.organisation},
    )
    return _cacheable(request, response, 300)


def year(request: HttpRequest, org: str, body: str, year: str) -> HttpResponse:
    if not 1 <= int(year) <= 9999:  # "0000" is no year (and no date can hold it)
        raise Http404
    the_body = _body(org, body)
    meetings = (
        published()
        .filter(body=the_body, date__year=int(year))
        .select_related("body__organisation")
        .order_by("date", "start_time")
    )
    page = _page(request, meetings)
    if not page.object_list:
        raise Http404
    response = render(
        request,
        "meetings/public/year.html",
        {"body": the_body, "year": year, "page": page, "organisation": the_body.organisation},
    )
    return _cacheable(request, response, 300)


def _address(org: str, body: str, day: str, suffix: str | None) -> dict:
    """The lookup of a protocol's public address (404 for a day that is none)."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return {
        "body__organisation__slug": org,
        "body__slug": body,
        "date": date,
        "day_suffix": int(suffix or 1),
    }


def _published_meeting(
    org: str, body: str, day: str, suffix: str | None, *, content: bool = True
) -> Meeting:
    found = published().select_related("body__organisation", "public_version")
    if not content:  # for a stored file: the public version's JSON is not needed
        found = found.defer("public_version__content")
    return get_object_or_404(found, **_address(org, body, day, suffix))


def _public_context(meeting: Meeting) -> dict:
    """What every public page of a protocol shows: its public version, and nothing
    else of it (the original and the live tables are never read here)."""
    url = meeting.get_absolute_url()
    return {
        "meeting": meeting,
        "organisation": meeting.body.organisation,
        "protocol": document(public_version.load(meeting.public_version)),
        "imported": meeting.public_version.is_imported,
        "protocol_url": url,
        "paragraph_base": url,
        "bilaga_base": f"{url}bilaga-",
    }


def _called_meeting(org: str, body: str, day: str, suffix: str | None) -> tuple[Meeting, dict]:
    """A meeting not (yet) published whose kallelse is out, with the agenda the
    public may read of it (as the latest kallelse stored it); else 404."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("body__organisation").exclude(
            pk__in=published().values("pk")
        ),
        _called(),
        **_address(org, body, day, suffix),
    )
    agenda = public_version.latest_agendas([meeting.pk]).get(meeting.pk, {})
    if agenda.get("format") != public_version.AGENDA_FORMAT:
        # A kallelse sent before agendas were kept: none shown.
        agenda = {"format": public_version.AGENDA_FORMAT, "items": []}
    return meeting, agenda


def upcoming(request: HttpRequest, meeting: Meeting, agenda: dict) -> HttpResponse:
    """A meeting before its protocol is published: time, place and the
    föredragningslista with its public handlingar."""
    url = meeting.get_absolute_url()
    # The agenda as sent, less the handlingar removed or made secret since.
    still_public = set(
        Handling.objects.public()
        .filter(meeting=meeting, pk__in=public_version.public_handling_ids(agenda))
        .values_list("pk", flat=True)
    )
    items = [
        {**item, "handlingar": [h for h in item["handlingar"] if h["id"] in still_public]}
        for item in agenda["items"]
    ]
    response = render(
        request,
        "meetings/public/upcoming.html",
        {
            "meeting": meeting,
            "head": public_version.called_head(agenda, meeting),
            "organisation": meeting.body.organisation,
            "items": with_headings(items),
            "handling_base": f"{url}handling-",
            "held": meeting.status
            in (Meeting.Status.GENOMFORT, Meeting.Status.UNDER_JUSTERING, Meeting.Status.JUSTERAT)
            or meeting.date < timezone.localdate(),
        },
    )
    return _cacheable(request, response, 300)


def _moved(org: str, body: str, day: str) -> Meeting | None:
    """A meeting the public may see whose kallelse once announced it on `day`, and
    that is on another day now (moved after the kallelse went out)."""
    date = _address(org, body, day, None)["date"]
    announced = (
        Kallelse.objects.filter(
            meeting__body__organisation__slug=org,
            meeting__body__slug=body,
            public_agenda__meeting__date=date.isoformat(),
        )
        .exclude(meeting__date=date)
        .order_by("-sent_at", "-pk")
        .values("meeting")
    )
    return (
        Meeting.objects.filter(pk__in=announced)
        .filter(Q(pk__in=published().values("pk")) | Q(_called()))
        .select_related("body__organisation")
        .order_by("date", "start_time")
        .first()
    )


def protocol(request: HttpRequest, org: str, body: str, day: str, suffix=None) -> HttpResponse:
    if not published().filter(**_address(org, body, day, suffix)).exists():
        try:
            return upcoming(request, *_called_meeting(org, body, day, suffix))
        except Http404:
            # A bookmark or a kallelse's link to the day a meeting had before it moved.
            moved = _moved(org, body, day)
            if moved is None:
                raise
            return redirect(moved.get_absolute_url())
    meeting = _published_meeting(org, body, day, suffix)
    context = _public_context(meeting)
    response = render(
        request,
        "meetings/public/protocol.html",
        {
            **context,
            "anslag_last_day": anslag_rules.last_day_to_appeal(meeting.publish_on),
            "imported_text": meeting.public_version.is_imported
            and not meeting.public_version.pdf.name.endswith(".pdf"),
            "rattelser": public_version.public_rattelser(meeting),
            "signatures": signatures(
                context["protocol"], public_version.justering_approvals(meeting)
            ),
        },
    )
    return _cacheable(request, response, 300)


def paragraph(request, org, body, day, number, suffix=None) -> HttpResponse:
    meeting = _published_meeting(org, body, day, suffix)
    context = _public_context(meeting)
    match = [p for p in context["protocol"]["paragraphs"] if p["number"] == int(number)]
    if not match:
        raise Http404
    p = match[0]
    answered, reported_in = matters.reports(meeting, p["position"])
    response = render(
        request,
        "meetings/public/paragraph.html",
        {
            **context,
            "p": p,
            "paragraph_base": "",
            # The approved corrections of this paragraph, as on the protocol's page.
            "rattelser": public_version.public_rattelser(meeting, int(number)),
            **_gang(meeting, p),
            "answered": answered,
            "reported_in": reported_in,
        },
    )
    return _cacheable(request, response, 300)


# How many steps of its matter's path a paragraph's page shows; the matter's own
# page has them all, page by page.
GANG_SHOWN = 10


def _gang(meeting: Meeting, p: dict) -> dict:
    """Ärendets gång on a paragraph's page: the matter's published paragraphs (an
    open paragraph's page only; a confidential one says nothing of its matter). Only
    a paragraph with a diarienummer or answering another can belong to a matter."""
    if p["is_confidential"] or not (p["diarienummer"] or p["responds_to"]):
        return {}
    links = matters.with_paragraph(meeting, p["position"], GANG_SHOWN + 1)
    if not links:
        return {}
    return {
        "matter": links[0].matter,
        # The paragraph alone so far: its matter's page, no path to show.
        "gang": matters.steps(links[:GANG_SHOWN]) if len(links) > 1 else [],
        "gang_more": len(links) > GANG_SHOWN,
    }


def matter_list(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's public matters (ärenden), the latest handled first."""
    organisation = get_object_or_404(Organisation, slug=org)
    page = _page(request, matters.public_list(organisation.pk))
    said = matters.headings(list(page.object_list))
    response = render(
        request,
        "meetings/public/matters.html",
        {
            "organisation": organisation,
            "page": page,
            "listed": [(m, *said.get(m.pk, ("", ""))) for m in page.object_list],
        },
    )
    return _cacheable(request, response, 300)


def matter(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A matter's page: its diarienummer and every published paragraph that handled
    it, in order, with the decisions (ärendets gång)."""
    the_matter = get_object_or_404(
        Matter.objects.select_related("organisation"), pk=pk, organisation__slug=org
    )
    heading = matters.heading(the_matter)
    if heading is None:
        raise Http404
    reference, name = heading
    page = _page(request, matters.published_links(the_matter))
    response = render(
        request,
        "meetings/public/matter.html",
        {
            "organisation": the_matter.organisation,
            "matter": the_matter,
            "reference": reference,
            "name": name,
            "page": page,
            "gang": matters.steps(page.object_list),
        },
    )
    return _cacheable(request, response, 300)


# `?ladda-ner=1` asks for a public file as an attachment (OParl's downloadUrl); the
# plain address shows it in the browser (accessUrl) when it is a PDF.
DOWNLOAD = "ladda-ner"


def _as_attachment(request, filename: str) -> bool:
    """Whether to send a public file to be saved rather than shown: when asked, and
    always for a file that is not a PDF (nothing else is shown by our address)."""
    return request.GET.get(DOWNLOAD) == "1" or not filename.lower().endswith(".pdf")


def _stored_pdf(request, field, sha256: str, created, filename: str) -> HttpResponse:
    """A sealed PDF as stored, with ETag (its SHA-256) and Last-Modified, so that a
    revalidation costs a 304 (which says them again, RFC 9110 15.4.5), and a part of
    it when a byte range is asked for (206)."""
    etag = f'"{sha256}"'
    last_modified = int(created.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        asked = ranges.part(request, field.size, etag)
        if asked is None:
            response = FileResponse(
                field.open("rb"),
                content_type="application/pdf",
                filename=filename,
                as_attachment=_as_attachment(request, filename),
            )
            response.block_size = 1 << 16  # a sealed PDF in a few writes, not a hundred
        else:
            response = ranges.partial_response(field, field.size, asked, "application/pdf")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Accept-Ranges"] = "bytes"
    patch_cache_control(response, public=True, max_age=86400)
    return _readable_anywhere(response)


def _preflight_answered(view):
    """A public file's CORS preflight (a browser asking before a conditional GET from
    another site) gets its answer, not the file."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Range"
            response["Access-Control-Max-Age"] = "86400"
            return response
        return view(request, *args, **kwargs)

    return answer


def _readable_anywhere(response: HttpResponse) -> HttpResponse:
    """A public file may be read by any site's script (an open-data client checking
    its checksum): it is public, and no cookie is sent with such a request."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_preflight_answered
def protocol_pdf(request, org, body, day, suffix=None) -> HttpResponse:
    """The sealed public version of the protocol, as stored."""
    meeting = _published_meeting(org, body, day, suffix, content=False)
    public = meeting.public_version
    if public.is_imported and not public.pdf.name.endswith(".pdf"):
        # An imported protocol whose original is text: served as the text it is.
        response = FileResponse(
            public.pdf.open("rb"),
            content_type="text/plain; charset=utf-8",
            filename=archival.file_name("protokoll", meeting, extension="txt"),
        )
        patch_cache_control(response, public=True, max_age=86400)
        return _readable_anywhere(response)
    return _stored_pdf(
        request,
        public.pdf,
        public.sha256,
        public.created,
        archival.file_name("protokoll", meeting),
    )


@_preflight_answered
def rattelse_pdf(request, org, body, day, rattelse_id, suffix=None) -> HttpResponse:
    """The sealed public version of an approved correction, as stored."""
    meeting = _published_meeting(org, body, day, suffix, content=False)
    correction = (
        Rattelse.objects.filter(meeting=meeting, pk=int(rattelse_id), approved_at__isnull=False)
        .exclude(public_sha256="")
        .first()
    )
    if correction is None:
        raise Http404
    return _stored_pdf(
        request,
        correction.public_pdf,
        correction.public_sha256,
        correction.approved_at,
        archival.file_name("rattelse", meeting, correction.pk),
    )


@_preflight_answered
def bilaga(request, org, body, day, number, suffix=None) -> FileResponse:
    """A bilaga the public version lists as public, with its file; anything else is 404."""
    meeting = _published_meeting(org, body, day, suffix)
    listed = public_version.load(meeting.public_version)["bilagor"]
    if not any(b["number"] == int(number) and b["is_public"] for b in listed):
        raise Http404
    item = Bilaga.objects.filter(meeting=meeting, number=int(number)).exclude(file="").first()
    if item is None:
        raise Http404
    # The file name the public version gives (masked words removed), not the row's.
    name = next(b["filename"] for b in listed if b["number"] == int(number))
    name = name or item.filename or item.file.name.rsplit("/", 1)[-1]
    return _readable_anywhere(
        FileResponse(
            item.file.open("rb"), as_attachment=_as_attachment(request, name), filename=name
        )
    )


@_preflight_answered
def handling(request, org, body, day, handling_id, suffix=None) -> FileResponse:
    """A handling the meeting's public agenda lists, while it is still public (a
    handling made secret or removed since is 404)."""
    meeting, agenda = _called_meeting(org, body, day, suffix)
    title = public_version.public_handling_titles(agenda).get(int(handling_id))
    if title is None:
        raise Http404
    item = Handling.objects.public().filter(meeting=meeting, pk=int(handling_id)).first()
    if item is None:
        raise Http404
    # Named by the title the public agenda gives it (masked), never the live row's.
    name = item.filename_titled(title)
    return _readable_anywhere(
        FileResponse(
            item.file.open("rb"), as_attachment=_as_attachment(request, name), filename=name
        )
    )


def accessibility_statement(request: HttpRequest, org: str | None = None) -> HttpResponse:
    """The tillgänglighetsredogörelse: the installation's, or an organisation's."""
    organisation = get_object_or_404(Organisation, slug=org) if org else None
    response = render(
        request,
        "meetings/public/accessibility.html",
        {
            "statement": accessibility.statement(organisation),
            "organisation": organisation,
            # The installation's statement names whom to write to for each archive.
            "organisations": () if organisation else Organisation.objects.order_by("name"),
            "digg_report": accessibility.DIGG_REPORT,
            "digg": accessibility.DIGG,
        },
    )
    return _cacheable(request, response, 3600)


def robots(request: HttpRequest) -> HttpResponse:
    """The archive is for everyone, search engines too; the private parts are not
    (they need a login anyway, but need not be tried)."""
    lines = [
        "User-agent: *",
        "Disallow: /arbete/",
        "Disallow: /ledamot/",
        "Disallow: /justera/",
        "Disallow: /admin/",
        "Disallow: /konto/",
        "Disallow: /logga-in/",
        "Allow: /",
        f"Sitemap: {absolute(reverse('sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return _cacheable(request, response, 86400)


# ASCII only: "²".isdigit() is true, and int() refuses it.
YEAR = re.compile(r"[0-9]{4}")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def _slug(text: str) -> str:
    """A slug from the query string, or "" (a NUL would reach PostgreSQL as an error)."""
    return text if SLUG.fullmatch(text) else ""


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over published paragraphs, with filters by organisation,
    body and year. Any query string gives a page."""
    q = search_engine.clean_query(request.GET.get("q", ""))
    scope = published()
    org = _slug(request.GET.get("org", ""))
    organisation = Organisation.objects.filter(slug=org).first() if org else None
    if organisation:
        scope = scope.filter(body__organisation=organisation)
    the_body = (
        Body.objects.filter(
            organisation=organisation, slug=_slug(request.GET.get("organ", ""))
        ).first()
        if organisation
        else None
    )
    if the_body:
        scope = scope.filter(body=the_body)
    year_text = request.GET.get("ar", "")
    if YEAR.fullmatch(year_text):
        scope = scope.filter(date__year=int(year_text))
    page = _page(request, search_engine.search(q, published=scope), last_if_past=True)
    # What each result shows, read here once: the template only prints it (a result's
    # lookups through meeting, body and organisation were most of the page's rendering).
    results = [
        {
            "url": e.meeting.paragraph_url(e.number),
            "heading": f"§ {e.number} {e.title}",
            "where": f"{e.meeting.body.organisation.name}, {e.meeting.body.name}, "
            f"{date_format(e.date, 'j F Y')}",
            "snippet": search_engine.highlight(getattr(e, "snippet", ""), q),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "meetings/public/search.html",
        {
            "q": q,
            "shortened": search_engine.was_shortened(request.GET.get("q", "")),
            "page": page,
            # The newest MAX_RESULTS matches are ranked; more are not counted.
            "capped": page.paginator.count
            if page.paginator.count >= search_engine.MAX_RESULTS
            else None,
            "results": results,
            "organisations": Organisation.objects.order_by("name").values_list("slug", "name"),
            "bodies": Body.objects.filter(organisation=organisation)
            .order_by("name")
            .values_list("slug", "name")
            if organisation
            else (),
            "body": the_body,
            "organisation": organisation,
            "year": year_text,
            # Keeps the search on the next page; urlencode escapes whatever was typed.
            "query_string": urlencode(
                {
                    k: v
                    for k, v in (
                        ("q", q),
                        ("org", request.GET.get("org", "")),
                        ("organ", request.GET.get("organ", "")),
                        ("ar", year_text),
                    )
                    if v
                }
            ),
        },
    )


def paragraph_extract(request, org, body, day, number, suffix=None) -> HttpResponse:
    """A protokollsutdrag of one public paragraph, certified by the organisation's
    electronic seal (no person certifies a self-service extract): made from the
    public version on the first request, then served as stored. None for a
    confidential paragraph."""
    # Once made, an extract is found and served in one query.
    address = {
        f"public_version__meeting__{k}": v for k, v in _address(org, body, day, suffix).items()
    }
    # The stored extract that carries every approved correction of the paragraph
    # (one made before the latest is not served), in the same query.
    corrections = (
        Rattelse.objects.filter(
            meeting=OuterRef("public_version__meeting"),
            paragraph__number=OuterRef("number"),
            approved_at__isnull=False,
        )
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    extract = (
        Protokollsutdrag.objects.filter(
            is_published(via="public_version__meeting__"), number=int(number), **address
        )
        .annotate(current=Coalesce(Subquery(corrections), 0))
        .filter(rattelser=F("current"))
        .select_related("public_version__meeting")
        .defer("public_version__content")
        .first()
    )
    if extract is None:
        meeting = _published_meeting(org, body, day, suffix)
        extract = utdrag.public_extract(meeting.public_version, int(number))
    if extract is None:
        raise Http404
    meeting = extract.public_version.meeting
    return _stored_pdf(
        request,
        extract.pdf,
        extract.sha256,
        extract.created,
        archival.file_name("protokollsutdrag", meeting, f"p{extract.number}"),
    )
