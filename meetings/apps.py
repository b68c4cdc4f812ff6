from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and protocols")

    def ready(self):
        # The open-data API learns of deletions through these signals.
        from meetings.oparl import deletions  # noqa: F401
