import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.legacy import importing
from meetings.legacy.source import NotAProtocol
from members.models import Body


class Command(BaseCommand):
    help = (
        "Read legacy protocols (text or text-based PDF) into the paragraf.protocol format. "
        "With --dry-run, print the JSON and write nothing; without, import them all or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=_("text or PDF files"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("print the JSON, write nothing")
        )
        parser.add_argument(
            "--organisation", help=_("the organisation's slug on this installation")
        )
        parser.add_argument("--body", help=_("the body's slug within the organisation"))

    def handle(self, *args, files, dry_run, organisation, body, **options):
        started = time.monotonic()
        org = importing.known_organisation(organisation)
        if organisation and org is None:
            raise CommandError(_("There is no organisation %(slug)s.") % {"slug": organisation})
        the_body = None
        if body:
            the_body = Body.objects.filter(organisation=org, slug=body).first() if org else None
            if the_body is None:
                raise CommandError(
                    _("There is no body %(slug)s in that organisation; give --organisation too.")
                    % {"slug": body}
                )
        prepared = []
        for name in files:
            try:
                data = Path(name).read_bytes()
            except OSError as e:
                raise CommandError(
                    _("Cannot read %(file)s: %(error)s") % {"file": name, "error": e}
                ) from None
            try:
                item = importing.prepare(name, data, organisation=org, body=the_body)
            except NotAProtocol as e:
                raise CommandError(
                    _("%(file)s is not a protocol that can be read: %(error)s")
                    % {"file": name, "error": e}
                ) from None
            for warning in item.parsed.warnings:
                self.stderr.write(f"{name}: {warning}")
            if item.parsed.unsure:
                self.stderr.write(
                    _("%(file)s: check these fields: %(fields)s")
                    % {"file": name, "fields": ", ".join(sorted(item.parsed.unsure))}
                )
            prepared.append(item)
        if dry_run:
            documents = [p.parsed.document for p in prepared]
            out = documents[0] if len(documents) == 1 else documents
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        try:
            results = importing.import_documents(
                [(p.source.filename, p.parsed.document, p.source.raw) for p in prepared]
            )
        except importing.ImportFailed as e:
            raise CommandError(str(e)) from None
        for result in results:
            for warning in result.warnings:
                self.stderr.write(warning)
        self.stdout.write(
            _("Imported %(count)s protocols in %(seconds).1f s.")
            % {"count": len(results), "seconds": time.monotonic() - started}
        )
