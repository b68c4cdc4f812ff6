from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and protocols")

    def ready(self):
        from django.db.backends.signals import connection_created

        from meetings import (
            checks,  # noqa: F401  (the installation's health)
            public_refresh,  # noqa: F401  (receives public_changed)
        )

        # The open-data API learns of deletions through these signals.
        from meetings.oparl import deletions  # noqa: F401
        from meetings.search import register_fold

        connection_created.connect(register_fold, dispatch_uid="paragraf-fold")
