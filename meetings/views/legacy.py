"""Bringing legacy protocols in through the browser: upload, review beside the source
text (the fields the parser was unsure of marked), correct, import. Nothing is
imported without this review."""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.documents.protocol_json import ProtocolFormatError
from meetings.legacy import importing, review
from meetings.legacy.forms import UploadForm
from meetings.legacy.source import NotAProtocol
from meetings.models import ArchivedProtocol, LegacyUpload, ProtocolFrozen
from members.permissions import organisations_of, workspace_organisations
from members.two_factor import private

MAX_FILES = 50
# The meeting's fields on the review form, and where the parser says it was unsure.
MEETING_PATHS = [
    ("body", "body"), ("date", "meeting.date"), ("start_time", "meeting.start_time"),
    ("end_time", "meeting.start_time"), ("place", "meeting.place"),
    ("is_remote", "meeting.is_remote"), ("chair", "chair"), ("secretaries", "secretaries"),
    ("justerare", "justerare"), ("justerat_on", "history.justerat_on"),
    ("anslag_on", "history.anslag_on"),
]  # fmt: skip


def _upload(request: HttpRequest, pk: int) -> LegacyUpload:
    """The upload, if `request.user` works for its organisation; else 403 within an
    organisation they belong to, 404 outside it."""
    found = (
        LegacyUpload.objects.filter(pk=pk, organisation__in=workspace_organisations(request.user))
        .select_related("organisation", "meeting__body")
        .first()
    )
    if found is None:
        theirs = LegacyUpload.objects.filter(pk=pk, organisation__in=organisations_of(request.user))
        if theirs.exists():
            raise PermissionDenied(_("Only the organisation's secretaries may import protocols."))
        raise Http404
    return found


@private
def uploads(request: HttpRequest) -> HttpResponse:
    organisations = workspace_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("You are not a secretary of any organisation."))
    form = UploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        files = form.cleaned_data["files"][:MAX_FILES]
        made = []
        # One budget for the PDFs of this request: fifty slow files must not keep
        # the worker past its timeout either (meetings/legacy/source.py).
        deadline = time.monotonic() + settings.LEGACY_PDF_SECONDS
        for f in files:
            data = f.read()
            if not data:
                messages.error(request, _("%(file)s is empty.") % {"file": f.name})
                continue
            left = deadline - time.monotonic()
            if data.startswith(b"%PDF") and left < 0.5:
                messages.error(
                    request,
                    _(
                        "%(file)s was not read: the files before it took "
                        "the time one upload may take. Upload it again."
                    )
                    % {"file": f.name},
                )
                continue
            known = ArchivedProtocol.objects.filter(sha256=hashlib.sha256(data).hexdigest())
            if (done := known.select_related("meeting__body").first()) is not None:
                messages.error(
                    request,
                    _("%(file)s is imported already: %(meeting)s.")
                    % {"file": f.name, "meeting": done.meeting},
                )
                continue
            try:
                item = importing.prepare(f.name, data, organisation=organisation, seconds=left)
            except NotAProtocol as e:
                messages.error(
                    request,
                    _("%(file)s is not a protocol that can be read: %(error)s")
                    % {"file": f.name, "error": e},
                )
                continue
            upload = LegacyUpload(
                organisation=organisation,
                uploaded_by=request.user,
                filename=f.name,
                sha256=item.source.sha256,
                source_text=item.source.text,
                document=item.parsed.document,
                warnings=item.parsed.warnings,
                unsure=sorted(item.parsed.unsure),
            )
            upload.file.save(f.name, ContentFile(data), save=False)
            upload.save()
            made.append(upload)
        if made:
            messages.success(
                request,
                _("%(count)s read; review each before it is imported.") % {"count": len(made)},
            )
            if len(made) == 1:
                return redirect("workspace:legacy_review", upload=made[0].pk)
        return redirect("workspace:legacy_uploads")
    listed = LegacyUpload.objects.filter(organisation__in=organisations).select_related(
        "meeting__body__organisation"
    )
    page = Paginator(listed, 25).get_page(request.GET.get("sida"))
    return render(
        request,
        "meetings/workspace/legacy_uploads.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


def _forms(upload: LegacyUpload, data=None):
    bodies = list(upload.organisation.bodies.order_by("name"))
    start = review.initial(upload.document)
    return bodies, (
        review.MeetingFields(data, prefix="m", bodies=bodies, initial=start["meeting"]),
        review.AttendanceRows(data, prefix="a", initial=start["attendance"]),
        review.ParagraphRows(data, prefix="p", initial=start["paragraphs"]),
    )


@private
def review_upload(request: HttpRequest, upload: int) -> HttpResponse:
    item = _upload(request, upload)
    if item.meeting_id:
        messages.info(request, _("This protocol is imported already."))
        return redirect(item.meeting.get_absolute_url())
    bodies, (meeting, attendance, paragraphs) = _forms(item, request.POST or None)
    problem, status = "", 200
    if request.method == "POST":
        if meeting.is_valid() and attendance.is_valid() and paragraphs.is_valid():
            document = review.corrected(
                item.document,
                meeting.cleaned_data,
                [f.cleaned_data for f in attendance.forms if f.cleaned_data],
                # (An unchanged extra form has no cleaned data: a hand-made POST only.)
                [f.cleaned_data for f in paragraphs.forms if f.cleaned_data],
                bodies,
            )
            try:
                importing.check(document)
            except ProtocolFormatError as e:
                problem, status = str(e), 400
            else:
                item.document = document
                item.save(update_fields=["document", "modified"])
                if "import" in request.POST:
                    return _import(request, item)
                messages.success(request, _("Saved. Import it when every field is right."))
                return redirect("workspace:legacy_review", upload=item.pk)
        else:
            status = 400
    unsure = set(item.unsure)
    return render(
        request,
        "meetings/workspace/legacy_review.html",
        {
            "upload": item,
            "meeting_form": meeting,
            "attendance": attendance,
            "paragraphs": paragraphs,
            "problem": problem,
            "meeting_fields": [(meeting[name], path in unsure) for name, path in MEETING_PATHS],
            "attendance_unsure": "attendance" in unsure,
            "paragraph_rows": [
                (form, f"paragraphs[{i}].section" in unsure)
                for i, form in enumerate(paragraphs.forms)
            ],
            "attendance_rows": [
                (
                    form,
                    f"attendance[{i}].present_from" in unsure
                    or f"attendance[{i}].present_until" in unsure,
                )
                for i, form in enumerate(attendance.forms)
            ],
            "kept": [
                p
                for p in item.document["paragraphs"]
                if any(d["uppdrag"] or d["reservations"] or d["jav"] for d in p["decisions"])
            ],
        },
        status=status,
    )


def _import(request: HttpRequest, item: LegacyUpload) -> HttpResponse:
    with item.file.open("rb") as f:
        data = f.read()
    try:
        (result,) = importing.import_documents(
            [(item.filename, item.document, data)], by=request.user
        )
    except (importing.ImportFailed, ProtocolFrozen) as e:
        messages.error(request, str(e))
        return redirect("workspace:legacy_review", upload=item.pk)
    item.meeting = result.meeting
    item.save(update_fields=["meeting", "modified"])
    for warning in result.warnings:  # e.g. a § answered that is not imported yet
        messages.warning(request, warning)
    messages.success(
        request,
        _("Imported and published with its own dates: justerat %(j)s, published %(p)s.")
        % {
            "j": f"{result.meeting.justerat_at:%Y-%m-%d}",
            "p": f"{result.meeting.publish_on:%Y-%m-%d}",
        },
    )
    return redirect(result.meeting.get_absolute_url())


@private
@require_POST
def discard(request: HttpRequest, upload: int) -> HttpResponse:
    item = _upload(request, upload)
    if item.meeting_id is None:
        item.file.delete(save=False)
        item.delete()
        messages.success(request, _("%(file)s was discarded.") % {"file": item.filename})
    return redirect("workspace:legacy_uploads")
