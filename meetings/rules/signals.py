"""What the verbs tell the rest of the site, without reaching up into it.

`public_changed`: something the public sees changed (a publication, a kallelse, a
cancellation, a rättelse, a moved meeting, the open data's rows). The verbs send
it; one receiver (meetings/public/public_refresh.py) empties the page cache and, when
asked, writes the meeting's search entries anew from its public version. A verb
never calls the page cache or the search index itself.
"""

from django.dispatch import Signal

# Sent with `meeting` (the Meeting whose public face changed, or None when it is
# the organisation's rows) and `reindex` (True when its public version is new or
# newly public: its search entries are written again).
public_changed = Signal()

# Sent by Meeting.move_to when a meeting's status changes, with `meeting`, `before`
# and `after` (the statuses).
status_changed = Signal()


def tell_the_public(sender, *, meeting=None, reindex: bool = False) -> None:
    """Send `public_changed` (one spelling for every verb)."""
    public_changed.send(sender=sender, meeting=meeting, reindex=reindex)
