"""Access to meetings and their protocols in the secretary's workspace."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from meetings.models import Meeting, Paragraph
from members.permissions import workspace_organisations


def workspace_meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        body__organisation__in=workspace_organisations(user)
    ).select_related("body__organisation")


def meeting_for_secretary(user: User, pk: int) -> Meeting:
    """The meeting, if `user` works for its organisation; else 404."""
    return get_object_or_404(workspace_meetings(user), pk=pk)


def paragraph_of(meeting: Meeting, pk: int) -> Paragraph:
    """A paragraph of this meeting (404 for one of any other meeting)."""
    return get_object_or_404(
        Paragraph.objects.select_related("responds_to"), meeting=meeting, pk=pk
    )
