"""The secretary's handlingar: the documents members read before the meeting,
attached to agenda items, sent with the kallelse; after the meeting one click makes
one a bilaga of the protocol."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import states
from meetings.actions import services
from meetings.forms import HandlingForm
from meetings.models import Handling, Meeting, ProtocolFrozen
from meetings.views.secretary import _meeting, _stored_file
from members.two_factor import private


def _handling_of(meeting: Meeting, handling_id: int) -> Handling:
    handling = (
        Handling.objects.filter(meeting=meeting, pk=handling_id)
        .select_related("paragraph", "bilaga")
        .first()
    )
    if handling is None:
        raise Http404
    return handling


@private
def handlingar(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    can = states.controls(meeting)
    paragraphs = meeting.paragraphs.filter(is_struck=False).order_by("position")
    posted = request.method == "POST"
    form = HandlingForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        paragraphs=paragraphs,
        initial={
            "paragraph": next(
                (p for p in paragraphs if str(p.pk) == request.GET.get("paragraph")), None
            )
        },
    )
    if posted and not can.handlingar:
        messages.error(request, _("Handlingar are added before the meeting."))
        return redirect("workspace:handlingar", pk=meeting.pk)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach_handling(
                form.cleaned_data["paragraph"],
                title=form.cleaned_data["title"],
                file=upload,
                filename=upload.name,
                is_public=form.cleaned_data["is_public"],
            )
        except (services.MeetingRuleError, ValidationError) as e:
            form.add_error(None, " ".join(getattr(e, "messages", [str(e)])))
        else:
            messages.success(request, _("The handling is attached."))
            return redirect("workspace:handlingar", pk=meeting.pk)
    return render(
        request,
        "meetings/workspace/handlingar.html",
        {
            "meeting": meeting,
            "form": form,
            "can": can,
            "handlingar": meeting.handlingar.select_related("paragraph", "bilaga").order_by(
                "paragraph__position", "pk"
            ),
            "confidential_paragraphs": [p.pk for p in paragraphs if p.is_confidential],
        },
        status=400 if form.errors else 200,
    )


@private
def handling_download(request: HttpRequest, pk: int, handling_id: int) -> FileResponse:
    handling = _handling_of(_meeting(request, pk), handling_id)
    return _stored_file(handling.file, filename=handling.filename, as_attachment=True)


@private
def handling_remove(request: HttpRequest, pk: int, handling_id: int) -> HttpResponse:
    """Ask first; then take the handling away (a bilaga made of it stays)."""
    meeting = _meeting(request, pk)
    handling = _handling_of(meeting, handling_id)
    if request.method == "POST":
        try:
            services.remove_handling(handling)
        except services.MeetingRuleError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("The handling is removed."))
        return redirect("workspace:handlingar", pk=meeting.pk)
    return render(
        request,
        "meetings/workspace/handling_remove.html",
        {"meeting": meeting, "handling": handling},
    )


@private
@require_POST
def handling_to_bilaga(request: HttpRequest, pk: int, handling_id: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    handling = _handling_of(meeting, handling_id)
    try:
        bilaga = services.handling_to_bilaga(handling, by=request.user)
    except (services.MeetingRuleError, ProtocolFrozen) as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("“%(title)s” is Bilaga %(number)s of the protocol.")
            % {"title": handling.title, "number": bilaga.number},
        )
    return redirect("workspace:handlingar", pk=meeting.pk)
