"""Bringing legacy protocols in through the browser: upload, review beside the source
text (the fields the parser was unsure of marked), correct, import. Nothing is
imported without this review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.documents.protocol_json import ProtocolFormatError
from meetings.legacy import batch, importing, review
from meetings.legacy.forms import UploadForm
from meetings.models import LegacyUpload, ProtocolFrozen
from members.permissions import organisations_of, workspace_organisations
from members.two_factor import private


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
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        taken = batch.take_in(form.cleaned_data["organisation"], files, by=request.user)
        for problem in taken.problems:
            messages.error(request, problem)
        made = taken.uploads
        if made:
            messages.success(
                request,
                _("%(count)s read; review each before it is imported.") % {"count": len(made)},
            )
            first = min(made, key=lambda u: (u.meeting_date is None, u.meeting_date, u.filename))
            return redirect("workspace:legacy_review", upload=first.pk)
        return redirect("workspace:legacy_uploads")
    listed = batch.queue(
        LegacyUpload.objects.filter(organisation__in=organisations).select_related(
            "meeting__body__organisation"
        )
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
    start = review.initial(upload.document, bodies)
    return bodies, (
        review.MeetingFields(data, prefix="m", bodies=bodies, initial=start["meeting"]),
        review.AttendanceRows(data, prefix="a", initial=start["attendance"]),
        review.ParagraphRows(
            data, prefix="p", initial=start["paragraphs"], form_kwargs={"bodies": bodies}
        ),
        review.BilagaRows(data, prefix="b", initial=start["bilagor"]),
    )


def _marked(form, marks: set[str]) -> list:
    """The form's fields, each with whether the reading was unsure of it."""
    return [(form[name], name in marks) for name in form.fields]


OFFERS = "legacy_offers"  # the session's corrections offered for the rest of a batch


@private
def review_upload(request: HttpRequest, upload: int) -> HttpResponse:
    item = _upload(request, upload)
    if item.meeting_id:
        messages.info(request, _("This protocol is imported already."))
        return redirect(item.meeting.get_absolute_url())
    bodies, forms = _forms(item, request.POST or None)
    meeting, attendance, paragraphs, bilagor = forms
    problem, status = "", 200
    chosen = _chosen_offer(request, item) if request.method == "POST" else None
    if request.method == "POST" and "offer" in request.POST and chosen is None:
        messages.error(request, _("That correction is no longer offered."))
    if request.method == "POST":
        if all(f.is_valid() for f in forms):
            document = review.corrected(
                item.document,
                meeting.cleaned_data,
                [f.cleaned_data for f in attendance.forms if f.cleaned_data],
                # (An unchanged extra form has no cleaned data: a hand-made POST only.)
                [f.cleaned_data for f in paragraphs.forms if f.cleaned_data],
                bodies,
                [f.cleaned_data for f in bilagor.forms if f.cleaned_data],
            )
            changed = batch.corrections(item.document, document)
            batch.renamed_within(document, changed)
            try:
                importing.check(document)
            except ProtocolFormatError as e:
                problem, status = review.readable(str(e), document), 400
            else:
                item.document = document
                batch.remember_date(item)
                item.save(update_fields=["document", "meeting_date", "modified"])
                # What this save changed is offered; an earlier offer is not (it may
                # have been taken back).
                request.session[OFFERS] = {
                    "upload": item.pk,
                    "batch": item.batch,
                    "offers": batch.offers(item, changed),
                }
                if chosen is not None:
                    _apply_offer(request, item, chosen)
                    return redirect("workspace:legacy_review", upload=item.pk)
                if "import" in request.POST and not document["history"].get("justerat_on"):
                    # Never a day the text does not give: the secretary says it.
                    messages.error(
                        request,
                        _(
                            "Saved, not imported: write the day the protocol was justerat "
                            "(Justerat den); the text does not give it."
                        ),
                    )
                    return redirect("workspace:legacy_review", upload=item.pk)
                if "import" in request.POST:
                    return _import(request, item)
                messages.success(request, _("Saved. Import it when every field is right."))
                return redirect("workspace:legacy_review", upload=item.pk)
        else:
            status = 400
    unsure = set(item.unsure)
    offered = request.session.get(OFFERS) or {}
    if not item.batch or offered.get("batch") != item.batch:
        offered = {}  # offers are for the batch they came from
    elif offered.get("offers"):
        # Counted again: a file imported or corrected since holds the old value no more.
        source = LegacyUpload.objects.filter(pk=offered["upload"]).first()
        offered["offers"] = batch.offers(source, offered["offers"]) if source else []
    following = batch.next_in_batch(item)
    return render(
        request,
        "meetings/workspace/legacy_review.html",
        {
            "upload": item,
            "meeting_form": meeting,
            "attendance": attendance,
            "paragraphs": paragraphs,
            "bilagor": bilagor,
            "problem": problem,
            "meeting_fields": _marked(meeting, review.meeting_marks(unsure)),
            "attendance_unsure": "attendance" in unsure,
            "paragraphs_unsure": "paragraphs" in unsure,
            "attendance_rows": [
                (form, _marked(form, marks := review.row_marks(unsure, "attendance", i)), marks)
                for i, form in enumerate(attendance.forms)
            ],
            "paragraph_rows": [
                (form, _marked(form, marks := review.row_marks(unsure, "paragraphs", i)), marks)
                for i, form in enumerate(paragraphs.forms)
            ],
            "bilaga_rows": [
                (form, _marked(form, marks := review.row_marks(unsure, "bilagor", i)), marks)
                for i, form in enumerate(bilagor.forms)
            ],
            "offers": offered.get("offers", []),
            "offered_by": offered.get("upload"),
            "following": following,
            "clashes": batch.clashes(item),
            "waiting": LegacyUpload.objects.filter(
                organisation=item.organisation, batch=item.batch, meeting__isnull=True
            ).count()
            if item.batch
            else 1,
        },
        status=status,
    )


def _chosen_offer(request: HttpRequest, item: LegacyUpload):
    """The offer the secretary chose ("Rätta där också", a button of the review form:
    what she typed is saved first), taken from the session: (its file, the offer)."""
    index = request.POST.get("offer", "")
    offered = request.session.get(OFFERS) or {}
    offers = offered.get("offers", []) if offered.get("batch") == item.batch else []
    if not index.isdigit() or int(index) >= len(offers):
        return None
    return offered["upload"], offers[int(index)]


def _apply_offer(request: HttpRequest, item: LegacyUpload, chosen) -> None:
    source = LegacyUpload.objects.filter(pk=chosen[0], organisation=item.organisation).first()
    if source is None:
        messages.error(request, _("That correction is no longer offered."))
        return
    offer = chosen[1]
    changed = batch.apply(source, offer, list(item.organisation.bodies.all()))
    messages.success(
        request,
        ngettext(
            "%(old)s → %(new)s corrected in %(count)s more file.",
            "%(old)s → %(new)s corrected in %(count)s more files.",
            changed,
        )
        % {"old": offer["old"], "new": offer.get("shown") or offer["new"], "count": changed},
    )


def _import(request: HttpRequest, item: LegacyUpload) -> HttpResponse:
    with item.file.open("rb") as f:
        data = f.read()
    try:
        (result,) = importing.import_documents(
            [(item.filename, item.document, data)], by=request.user
        )
    except (importing.ImportFailed, ProtocolFrozen) as e:
        messages.error(request, review.readable(str(e), item.document))
        return redirect("workspace:legacy_review", upload=item.pk)
    item.meeting = result.meeting
    item.save(update_fields=["meeting", "modified"])
    for warning in result.warnings:  # e.g. a § answered that is not imported yet
        messages.warning(request, review.readable(warning, item.document))
    messages.success(
        request,
        _("%(meeting)s imported and published with its own dates: justerat %(j)s, published %(p)s.")
        % {
            "meeting": result.meeting,
            "j": f"{result.meeting.justerat_at:%Y-%m-%d}",
            "p": f"{result.meeting.publish_on:%Y-%m-%d}",
        },
    )
    following = batch.next_in_batch(item)
    if following is not None:  # the queue goes on, in date order
        return redirect("workspace:legacy_review", upload=following.pk)
    return redirect(result.meeting.get_absolute_url())


@private
def discard(request: HttpRequest, upload: int) -> HttpResponse:
    """Asks first (GET), then discards the file and what was corrected in it (POST)."""
    item = _upload(request, upload)
    if request.method != "POST":
        if item.meeting_id:
            return redirect("workspace:legacy_uploads")
        return render(request, "meetings/workspace/legacy_discard.html", {"upload": item})
    if item.meeting_id is None:
        item.file.delete(save=False)
        item.delete()
        messages.success(request, _("%(file)s was discarded.") % {"file": item.filename})
    return redirect("workspace:legacy_uploads")
