from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and protocols")

    def ready(self):
        from django.db.backends.signals import connection_created

        from meetings import (
            checks,  # noqa: F401  (the installation's health)
            frozen,
            justering,  # noqa: F401  (refuses a forged approval, on pre_save)
            public_refresh,  # noqa: F401  (receives public_changed)
        )

        # The open-data API learns of deletions through these signals.
        from meetings.oparl import deletions  # noqa: F401
        from meetings.search import register_fold
        from members.models import renaming_asked

        connection_created.connect(register_fold, dispatch_uid="paragraf-fold")
        # A person named in a justerat protocol keeps the name (meetings/frozen.py).
        renaming_asked.connect(frozen.refuses_renaming, dispatch_uid="paragraf-renaming")
