from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import followup, justering, publication
from meetings.rules import throttle


class Command(BaseCommand):
    help = (
        "The daily job, for cron (e.g. every morning): marks the protocols whose "
        "scheduled publication day has come as published, then reminds the justerare "
        "whose deadline is near or past (each protocol at most once a day), and the "
        "assignees of unfinished uppdrag whose due date is near or just past (each "
        "uppdrag once before and once after); and lets expired sessions go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=2)
        parser.add_argument(
            "--follow-up-days-before",
            type=int,
            default=7,
            help="How many days before an uppdrag's due date its assignee is reminded.",
        )

    def handle(self, *args, days_before, follow_up_days_before, **options):
        today = timezone.localdate()
        published = publication.publish_due(today)
        reminded = justering.remind(today=today, days_before=days_before)
        followed_up = followup.remind(today=today, days_before=follow_up_days_before)
        # Django never deletes an expired session by itself: without this the
        # session table only grows (what `manage.py clearsessions` does).
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        throttle.forget_expired()
        self.stdout.write(
            " ".join(
                [
                    _("Published: %(published)s. Reminders sent: %(reminded)s.")
                    % {"published": published, "reminded": reminded},
                    _("Reminders of uppdrag sent: %(followed_up)s.") % {"followed_up": followed_up},
                ]
            )
        )
