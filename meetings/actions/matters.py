"""Ärendets gång in the workspace: the paragraphs of a matter across meetings and
bodies, whatever their protocols' state, as the secretary may see them. (The public
reads it from the public versions: meetings/public/matters.py.)"""

from django.contrib.auth.models import User

from meetings.models import MatterLink, Paragraph
from meetings.rules.permissions import workspace_meetings

# A matter's paragraphs shown beside one of them; a matter handled more often than
# this is a standing one (a recurring report), shown by its latest.
SHOWN = 30


def path_of(paragraph: Paragraph, user: User) -> list[MatterLink]:
    """The paragraphs of the paragraph's matter in the user's workspace, in the order
    the meetings handled them (the latest SHOWN); none when it belongs to no matter."""
    here = MatterLink.objects.filter(paragraph=paragraph).values("matter")
    latest = (
        MatterLink.objects.filter(matter__in=here, paragraph__meeting__in=workspace_meetings(user))
        .select_related("matter", "paragraph__meeting__body")
        .order_by(
            "-paragraph__meeting__date", "-paragraph__meeting__start_time", "-paragraph__position"
        )[:SHOWN]
    )
    return list(reversed(latest))
