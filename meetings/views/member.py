"""The member's view: the meetings of the bodies they sit in, read before
publication (the kallelse's agenda, the draft, the protocol under justering).
Reading only; nothing here changes anything."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from meetings.actions import kallelse
from meetings.actions.justering import protocol_as_read
from meetings.documents import archival
from meetings.documents.document import document
from meetings.documents.pdf import protocol_draft_pdf
from meetings.models import ArchivedProtocol, Bilaga, Handling, Meeting
from meetings.rules.permissions import meeting_for_reader, readable_meetings
from members.two_factor import private


@private
def meetings(request: HttpRequest) -> HttpResponse:
    mine = (
        readable_meetings(request.user)
        .select_related("body__organisation")
        .order_by("-date", "-start_time")
    )
    page = Paginator(mine, 25).get_page(request.GET.get("sida"))
    return render(request, "meetings/member/meetings.html", {"page": page})


BEFORE_THE_MEETING = (Meeting.Status.PLANERAT, Meeting.Status.KALLAT, Meeting.Status.INSTALLT)


@private
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    the_meeting = meeting_for_reader(request.user, pk)
    if the_meeting.status in BEFORE_THE_MEETING:
        # Before the meeting there is no protocol to read: the kallelse is what a
        # member comes for (the agenda, the handlingar, when and where).
        response = render(
            request,
            "meetings/member/kallelse.html",
            {
                "meeting": the_meeting,
                "organisation": the_meeting.body.organisation,
                "agenda": kallelse.agenda(the_meeting),
                "sent": the_meeting.kallelser.order_by("-sent_at").first(),
                "cancelled": the_meeting.audit_events.filter(action="cancelled")
                .values_list("details", flat=True)
                .first()
                if the_meeting.status == Meeting.Status.INSTALLT
                else None,
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response
    data, _version = protocol_as_read(the_meeting)
    response = render(
        request,
        "meetings/member/meeting.html",
        {
            "meeting": the_meeting,
            "organisation": the_meeting.body.organisation,
            "protocol": document(data),
            "bilaga_base": reverse("member:meeting", args=[the_meeting.pk]) + "bilagor/",
            "is_draft": the_meeting.justerat_at is None,
            "imported": ArchivedProtocol.objects.filter(meeting=the_meeting)
            .exclude(imported_from="")
            .exists(),
            "handlingar": the_meeting.handlingar.select_related("paragraph").order_by(
                "paragraph__position", "pk"
            ),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@private
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol as the member reads it: once justerat the sealed original, before
    that a draft of the version as it stands (marked UTKAST, its version printed)."""
    the_meeting = meeting_for_reader(request.user, pk)
    archive = ArchivedProtocol.objects.filter(meeting=the_meeting).first()
    if archive is not None:
        return FileResponse(
            archive.pdf.open("rb"),
            content_type="application/pdf",
            filename=archival.file_name("protokoll", the_meeting),
        )
    data, version = protocol_as_read(the_meeting)
    response = HttpResponse(
        protocol_draft_pdf(the_meeting, data=data, version=version), content_type="application/pdf"
    )
    name = archival.file_name("utkast", the_meeting)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@private
def kallelse_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The kallelse as it reads now (as the secretary would send it)."""
    the_meeting = meeting_for_reader(request.user, pk)
    response = HttpResponse(kallelse.render(the_meeting), content_type="application/pdf")
    name = archival.file_name("kallelse", the_meeting)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@private
def bilaga(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """A bilaga of a meeting the member may read."""
    the_meeting = meeting_for_reader(request.user, pk)
    item = Bilaga.objects.filter(meeting=the_meeting, number=number).exclude(file="").first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename or None)


@private
def handling(request: HttpRequest, pk: int, handling_id: int) -> FileResponse:
    """A handling of a meeting the member may read (public or not: they are called)."""
    the_meeting = meeting_for_reader(request.user, pk)
    item = Handling.objects.filter(meeting=the_meeting, pk=handling_id).first()
    if item is None:
        raise Http404
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.filename or None
    )
    response["Cache-Control"] = "private, no-store"
    return response
