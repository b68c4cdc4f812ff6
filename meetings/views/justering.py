"""The justerare's view: the protocol exactly as it will be frozen, comments, and
"Justera" or "Begär ändring". Only the chair and the justerare of a meeting see it;
for anyone else it does not exist (404)."""

import json
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.actions import background, justering, rattelse
from meetings.documents import archival, protocol_diff
from meetings.documents.document import document
from meetings.documents.pdf import protocol_draft_pdf
from meetings.forms import posted_id, posted_text
from meetings.models import Approval, ArchivedProtocol, Bilaga, Meeting, QueuedWork
from meetings.rules.permissions import approves, refuse
from members import identity, identity_views
from members.models import Person
from members.two_factor import private

logger = logging.getLogger(__name__)


def _meeting_and_person(request: HttpRequest, pk: int) -> tuple[Meeting, Person]:
    """The meeting and the visitor as its chair or justerare; for anyone else of the
    organisation 403, for the rest of the world 404."""
    meeting = (
        Meeting.objects.select_related("body__organisation", "chair")
        .filter(approves(request.user))
        .exclude(status__in=[Meeting.Status.PLANERAT, Meeting.Status.KALLAT])
        .filter(pk=pk)
        .distinct()
        .first()
    )
    person = (
        Person.objects.filter(
            user=request.user, organisation_id=meeting.body.organisation_id
        ).first()
        if meeting
        else None
    )
    if person is None:
        refuse(request.user, pk)
    return meeting, person


@private
def protocol(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    data, version = justering.protocol_as_read(meeting)
    answer = justering.answered_version(meeting, person)
    approved_this = bool(
        answer and answer.decision == Approval.Decision.GODKANT and answer.content_hash == version
    )
    sealing_work = next(
        (w for w in background.to_show(meeting) if w.kind == QueuedWork.Kind.JUSTERING), None
    )
    since = (  # what changed since the version this person answered
        protocol_diff.changes(json.loads(answer.content), data)
        if answer and answer.content and answer.content_hash != version
        else None
    )
    return render(
        request,
        "meetings/justering/protocol.html",
        {
            "meeting": meeting,
            "organisation": meeting.body.organisation,
            "protocol": document(data),
            "bilaga_base": reverse("justering:protocol", args=[meeting.pk]) + "bilagor/",
            "paragraphs": meeting.paragraphs.all(),
            "person": person,
            "version": version,
            "answer": answer,
            "approved_this": approved_this,
            "changes": since,
            "state": justering.approval_state(meeting),
            "comments": meeting.comments.select_related("person", "paragraph"),
            # The last approval, being sealed by a worker; or its failure, told here.
            "sealing": sealing_work,
            "can_answer": meeting.status == Meeting.Status.UNDER_JUSTERING
            and not approved_this
            and not (sealing_work and sealing_work.waiting),
            "e_legitimation": identity.for_justering(meeting.body.organisation),
            "rattelser": [
                {
                    "rattelse": r,
                    "state": state,
                    # Answered already: no second Approve, but the answer shown.
                    "approved_by_me": any(s["approved"] and s["person"] == person for s in state),
                }
                for r in meeting.rattelser.select_related("paragraph")
                for state in [rattelse.state(r)]
            ],
        },
    )


@private
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the version on the justering page, as a PDF (its version printed in
    it); once justerat, the sealed original itself."""
    meeting, _person = _meeting_and_person(request, pk)
    archive = ArchivedProtocol.objects.filter(meeting=meeting).first()
    if archive is not None:
        return FileResponse(
            archive.pdf.open("rb"),
            content_type="application/pdf",
            filename=archival.file_name("protokoll", meeting),
        )
    data, version = justering.protocol_as_read(meeting)
    pdf = protocol_draft_pdf(meeting, data=data, version=version)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = archival.file_name("protokoll", meeting)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@private
def bilaga(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """A bilaga of the protocol under justering: the approvers read them all."""
    meeting, _person = _meeting_and_person(request, pk)
    item = Bilaga.objects.filter(meeting=meeting, number=number).exclude(file="").first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename or None)


@private
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    version = request.POST.get("version", "")
    provider = identity.for_justering(meeting.body.organisation)
    if provider is not None:
        # Confirmed with a fresh e-legitimation first; recorded when it comes back.
        try:
            justering.check_can_approve(meeting, person, version)
            url = identity.begin(
                request,
                provider,
                purpose=identity_views.PURPOSE_STEP_UP,
                then=reverse("justering:approve_signed", args=[meeting.pk]),
                step_up=_step_up(meeting, person, version),
            )
        except (justering.JusteringError, identity.SignInRefused) as e:
            messages.error(request, str(e))
            return redirect("justering:protocol", pk=meeting.pk)
        return identity_views.send_on(request, url)
    return _approved(request, meeting, person, version=version, evidence=None)


def _step_up(meeting: Meeting, person: Person, version: str) -> dict:
    return {"justering": meeting.pk, "person": person.pk, "version": version}


@private
def approve_signed(request: HttpRequest, pk: int) -> HttpResponse:
    """Back from the e-legitimation: the approval recorded with what proves it, if
    it was this person's, just now, at the level asked for."""
    meeting, person = _meeting_and_person(request, pk)
    kept = request.session.get(identity.VERIFIED) or {}
    version = (kept.get("step_up") or {}).get("version", "")
    verified = identity.take_verified(request, _step_up(meeting, person, version))
    problem = _not_theirs(verified, person)
    if problem:
        messages.error(request, problem)
        return redirect("justering:protocol", pk=meeting.pk)
    return _approved(
        request, meeting, person, version=version, evidence=identity.evidence(verified)
    )


def _not_theirs(verified: identity.Verified | None, person: Person) -> str:
    """Why the e-legitimation that came back does not confirm `person`'s answer, or ""."""
    if verified is None:
        return _("No e-legitimation for this approval came back; approve again.")
    if identity.person_for(verified.provider, verified.claims) != person:
        return _(
            "The e-legitimation was not yours (it names someone else than %(name)s); "
            "nothing was recorded."
        ) % {"name": person.name}
    return ""


def _approved(
    request: HttpRequest, meeting: Meeting, person: Person, *, version: str, evidence: dict | None
) -> HttpResponse:
    try:
        work = justering.approve_in_background(
            meeting, person, version=version, user=request.user, evidence=evidence
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    else:
        # A failure is told by the page itself, where the answer was (protocol.html).
        if work is None:
            messages.success(request, _("You have approved the protocol."))
        elif work.waiting:
            # The last approval: a worker seals the protocol and records it with it.
            messages.success(
                request,
                _(
                    "Your approval is received: the protocol is being sealed, and is "
                    "justerat in a moment (reload the page)."
                ),
            )
        elif not work.failed:
            messages.success(request, _("The protocol is justerat."))
    return redirect("justering:protocol", pk=meeting.pk)


@private
@require_POST
def request_change(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    try:
        justering.request_change(
            meeting,
            person,
            version=request.POST.get("version", ""),
            reason=posted_text(request.POST, "reason"),
            user=request.user,
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The protocol is sent back to the secretary."))
    return redirect("justering:protocol", pk=meeting.pk)


@private
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    paragraph = meeting.paragraphs.filter(pk=posted_id(request.POST, "paragraph")).first()
    try:
        justering.comment(
            meeting, person, paragraph=paragraph, text=posted_text(request.POST, "text")
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Your comment is saved."))
    anchor = f"#p{paragraph.number}" if paragraph and paragraph.number else ""
    return redirect(reverse("justering:protocol", args=[meeting.pk]) + anchor)


@private
@require_POST
def approve_rattelse(request: HttpRequest, pk: int, rattelse_id: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    correction = get_object_or_404(meeting.rattelser, pk=rattelse_id)
    provider = identity.for_justering(meeting.body.organisation)
    if provider is not None:
        # As for the protocol: a fresh e-legitimation first, recorded when it returns.
        try:
            url = identity.begin(
                request,
                provider,
                purpose=identity_views.PURPOSE_STEP_UP,
                then=reverse("justering:approve_rattelse_signed", args=[meeting.pk, correction.pk]),
                step_up={"rattelse": correction.pk, "person": person.pk},
            )
        except identity.SignInRefused as e:
            messages.error(request, str(e))
            return redirect("justering:protocol", pk=meeting.pk)
        return identity_views.send_on(request, url)
    return _rattelse_approved(request, meeting, person, correction, evidence=None)


@private
def approve_rattelse_signed(request: HttpRequest, pk: int, rattelse_id: int) -> HttpResponse:
    """Back from the e-legitimation for a rättelse (as `approve_signed`)."""
    meeting, person = _meeting_and_person(request, pk)
    correction = get_object_or_404(meeting.rattelser, pk=rattelse_id)
    verified = identity.take_verified(request, {"rattelse": correction.pk, "person": person.pk})
    problem = _not_theirs(verified, person)
    if problem:
        messages.error(request, problem)
        return redirect("justering:protocol", pk=meeting.pk)
    evidence = identity.evidence(verified)
    return _rattelse_approved(request, meeting, person, correction, evidence=evidence)


def _rattelse_approved(request, meeting, person, correction, *, evidence) -> HttpResponse:
    try:
        done = rattelse.approve(correction, person, user=request.user, evidence=evidence)
    except justering.JusteringError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("The correction is approved and sealed.")
            if done
            else _("You have approved the correction."),
        )
    return redirect("justering:protocol", pk=meeting.pk)


@private
@require_POST
def object_to_rattelse(request: HttpRequest, pk: int, rattelse_id: int) -> HttpResponse:
    """A justerare objects to a correction, with the reason (the secretary is told)."""
    meeting, person = _meeting_and_person(request, pk)
    correction = get_object_or_404(meeting.rattelser, pk=rattelse_id)
    try:
        rattelse.object_to(
            correction, person, reason=posted_text(request.POST, "reason"), user=request.user
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Your objection is sent to the secretary."))
    return redirect(f"{reverse('justering:protocol', args=[meeting.pk])}#rattelse-{correction.pk}")
