from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.documents.protocol_json import dumps, export_protocol
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Print one meeting's whole protocol as JSON (docs/protocol-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)

    def handle(self, *args, meeting_id, **options):
        try:
            meeting = Meeting.objects.get(pk=meeting_id)
        except Meeting.DoesNotExist:
            raise CommandError(_("No meeting has id %(id)s.") % {"id": meeting_id}) from None
        self.stdout.write(dumps(export_protocol(meeting)), ending="")
