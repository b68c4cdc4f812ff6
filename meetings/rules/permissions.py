"""Who may see and do what with a meeting and its protocol.

Within an organisation the visitor belongs to (as one of its people or with a staff
role there), a missing right is a 403: they know the meeting is there. Anything of
another organisation is treated as not existing (404), so that a request cannot
even learn that it is there.

- secretary and administrator: the workspace of their organisation (plan, draft,
  send, publish);
- member: reads the meetings of the bodies they sit in, drafts included;
- chair and justerare: the justering of their meeting (views/justering.py);
- the public: only what is published (publication.published).
"""

from typing import NoReturn

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from meetings.models import Justerare, Meeting, Paragraph
from members.models import Membership, StaffRole
from members.permissions import organisations_of, workspace_organisations


def refuse(user: User, meeting_pk: int) -> NoReturn:
    """403 if the meeting is of an organisation `user` belongs to, else 404."""
    organisation = (
        Meeting.objects.filter(pk=meeting_pk).values_list("body__organisation", flat=True).first()
    )
    if organisation is not None and organisations_of(user).filter(pk=organisation).exists():
        raise PermissionDenied(_("You do not have access to this meeting."))
    raise Http404


def workspace_meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        body__organisation__in=workspace_organisations(user)
    ).select_related("body__organisation")


def meeting_for_secretary(user: User, pk: int) -> Meeting:
    """The meeting, if `user` works for its organisation; else 403 or 404."""
    meeting = workspace_meetings(user).select_related("chair", "secretary").filter(pk=pk).first()
    if meeting is None:
        refuse(user, pk)
    return meeting


def readable_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings `user` may read before publication: those of bodies they sat in on
    the day, those they chair or justera, and every meeting of an organisation
    they are staff of."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    seat_that_day = Membership.objects.filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("date")),
        body=OuterRef("body"),
        person__user=user,
        start__lte=OuterRef("date"),
    )
    staff = StaffRole.objects.filter(user=user).values("organisation")
    return Meeting.objects.filter(
        Q(Exists(seat_that_day)) | approves(user) | Q(body__organisation__in=staff)
    )


def approves(user: User) -> Q:
    """ "Chair or justerare of this meeting", as a condition on Meeting: the one rule
    of who answers a protocol's justering (justering.approvers lists them for one
    meeting)."""
    return Q(chair__user=user) | Q(
        Exists(Justerare.objects.filter(meeting=OuterRef("pk"), person__user=user))
    )


def meeting_for_reader(user: User, pk: int) -> Meeting:
    meeting = readable_meetings(user).filter(pk=pk).select_related("body__organisation").first()
    if meeting is None:
        refuse(user, pk)
    return meeting


def paragraph_of(meeting: Meeting, pk: int) -> Paragraph:
    """A paragraph of this meeting (404 for one of any other meeting)."""
    return get_object_or_404(
        Paragraph.objects.select_related("responds_to"), meeting=meeting, pk=pk
    )
