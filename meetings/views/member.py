"""The member's view: the meetings of the bodies they sit in, read before
publication (the kallelse's agenda, the draft, the protocol under justering).
Reading only; nothing here changes anything."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings.document import document
from meetings.justering import protocol_as_read
from meetings.models import Meeting
from meetings.permissions import meeting_for_reader, readable_meetings
from members.two_factor import private


@private
def meetings(request: HttpRequest) -> HttpResponse:
    mine = (
        readable_meetings(request.user)
        .exclude(status=Meeting.Status.INSTALLT)
        .select_related("body__organisation")
        .order_by("-date", "-start_time")
    )
    page = Paginator(mine, 25).get_page(request.GET.get("sida"))
    return render(request, "meetings/member/meetings.html", {"page": page})


@private
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    the_meeting = meeting_for_reader(request.user, pk)
    data, _version = protocol_as_read(the_meeting)
    response = render(
        request,
        "meetings/member/meeting.html",
        {
            "meeting": the_meeting,
            "organisation": the_meeting.body.organisation,
            "protocol": document(data),
            "is_draft": the_meeting.justerat_at is None,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
