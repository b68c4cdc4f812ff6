from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and protocols")

    def ready(self):
        from django.db.backends.signals import connection_created

        # Imported for the receivers and checks they register.
        from meetings import checks  # noqa: F401  (the installation's health)
        from meetings.actions import (
            justering,  # noqa: F401  (refuses a forged approval)
            services,  # noqa: F401  (a chair follows the seats)
        )
        from meetings.public import public_refresh  # noqa: F401  (receives public_changed)
        from meetings.public.oparl import deletions  # noqa: F401  (the API learns of deletions)
        from meetings.public.search import register_fold
        from meetings.rules import frozen
        from members.models import renaming_asked

        connection_created.connect(register_fold, dispatch_uid="paragraf-fold")
        # A person named in a justerat protocol keeps the name (meetings/rules/frozen.py).
        renaming_asked.connect(frozen.refuses_renaming, dispatch_uid="paragraf-renaming")
