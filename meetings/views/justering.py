"""The justerare's view: the protocol exactly as it will be frozen, comments, and
"Justera" or "Begär ändring". Only the chair and the justerare of a meeting see it;
for anyone else it does not exist (404)."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import justering, rattelse
from meetings.document import document
from meetings.forms import posted_id, posted_text
from meetings.models import Comment, Meeting
from meetings.permissions import refuse
from members.models import Person
from members.two_factor import private

logger = logging.getLogger(__name__)


def _meeting_and_person(request: HttpRequest, pk: int) -> tuple[Meeting, Person]:
    """The meeting and the visitor as its chair or justerare; for anyone else of the
    organisation 403, for the rest of the world 404."""
    meeting = (
        Meeting.objects.select_related("body__organisation", "chair")
        .filter(Q(chair__user=request.user) | Q(justerare__person__user=request.user))
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
    return render(
        request,
        "meetings/justering/protocol.html",
        {
            "meeting": meeting,
            "organisation": meeting.body.organisation,
            "protocol": document(data),
            "paragraphs": meeting.paragraphs.all(),
            "person": person,
            "version": version,
            "state": justering.approval_state(meeting),
            "comments": meeting.comments.select_related("person", "paragraph"),
            "can_answer": meeting.status == Meeting.Status.UNDER_JUSTERING,
            "rattelser": [
                {"rattelse": r, "state": rattelse.state(r)}
                for r in meeting.rattelser.select_related("paragraph")
            ],
        },
    )


@private
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    try:
        done = justering.approve(
            meeting, person, version=request.POST.get("version", ""), user=request.user
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    except OSError:  # the storage failed (a full disk): the transaction left nothing
        logger.exception("justering of meeting %s could not be stored", meeting.pk)
        messages.error(
            request,
            _("The protocol could not be sealed and stored just now, so your approval is "
              "not recorded. Try again in a while; if it fails again, tell the secretary."),
        )  # fmt: skip
    else:
        messages.success(
            request,
            _("The protocol is justerat.") if done else _("You have approved the protocol."),
        )
    return redirect("justering:protocol", pk=meeting.pk)


@private
@require_POST
def request_change(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    try:
        justering.request_change(
            meeting, person, version=request.POST.get("version", ""),
            reason=posted_text(request.POST, "reason"), user=request.user,
        )  # fmt: skip
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
    try:
        text = posted_text(request.POST, "text")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("justering:protocol", pk=meeting.pk)
    paragraph = meeting.paragraphs.filter(pk=posted_id(request.POST, "paragraph")).first()
    if not text:
        messages.error(request, _("Write the comment."))
    elif meeting.status != Meeting.Status.UNDER_JUSTERING:
        messages.error(request, _("The protocol is not out for justering."))
    else:
        Comment.objects.create(meeting=meeting, paragraph=paragraph, person=person, text=text)
        messages.success(request, _("Your comment is saved."))
    anchor = f"#p{paragraph.number}" if paragraph and paragraph.number else ""
    return redirect(reverse("justering:protocol", args=[meeting.pk]) + anchor)


@private
@require_POST
def approve_rattelse(request: HttpRequest, pk: int, rattelse_id: int) -> HttpResponse:
    meeting, person = _meeting_and_person(request, pk)
    correction = get_object_or_404(meeting.rattelser, pk=rattelse_id)
    try:
        done = rattelse.approve(correction, person, user=request.user)
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
