"""The one receiver of `public_changed` (meetings/rules/signals.py): what the public site
does when what the public sees changes."""

from django.dispatch import receiver

from meetings.public import page_cache
from meetings.public.search import index_protocol
from meetings.rules.signals import public_changed


@receiver(public_changed, dispatch_uid="paragraf-public-refresh")
def refresh(sender, meeting=None, reindex: bool = False, **kwargs) -> None:
    """Search entries from the public version (when asked), then no kept page older
    than the change."""
    if reindex and meeting is not None:
        index_protocol(meeting)
    page_cache.clear()
