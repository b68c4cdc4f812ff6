import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.actions.protocol_import import import_protocol
from meetings.documents.protocol_json import ProtocolFormatError


class Command(BaseCommand):
    help = (
        "Load a protocol exported by export_protocol, creating the organisation, body "
        "and people it names if missing. All or nothing: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("a JSON file, or - for standard input"))

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as f:
                    text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": e}
            ) from e
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise CommandError(
                _("%(file)s is not valid JSON (line %(line)s, column %(col)s): %(msg)s")
                % {"file": file, "line": e.lineno, "col": e.colno, "msg": e.msg}
            ) from None
        try:
            result = import_protocol(data)
        except ProtocolFormatError as e:
            raise CommandError(
                _("%(file)s was not imported; nothing was changed. %(error)s")
                % {"file": file, "error": e}
            ) from None
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            _("Imported the meeting of %(body)s on %(date)s as id %(id)s.")
            % {
                "body": result.meeting.body.name,
                "date": f"{result.meeting.date:%Y-%m-%d}",
                "id": result.meeting.pk,
            }
        )
