from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.actions import justering


class Command(BaseCommand):
    help = (
        "E-mail the justerare who have not yet approved a protocol whose justering "
        "deadline is near or past. Meant for cron, e.g. every morning; it reminds each "
        "protocol at most once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=2)

    def handle(self, *args, days_before, **options):
        sent = justering.remind(today=timezone.localdate(), days_before=days_before)
        self.stdout.write(f"{sent}")
