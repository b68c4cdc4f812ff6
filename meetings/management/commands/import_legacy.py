import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.legacy import batch, importing
from meetings.legacy.source import NotAProtocol
from members.models import Body


class Command(BaseCommand):
    help = (
        "Read legacy protocols (text or text-based PDF; folders and zips of them) into the "
        "review queue of the workspace (/arbete/import/), where each is checked and imported. "
        "With --dry-run, print the JSON (and the fields to check) and write nothing; with "
        "--publish-unreviewed, import and publish them all or none without the review."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=_("text or PDF files, folders or zips"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("print the JSON, write nothing")
        )
        parser.add_argument(
            "--publish-unreviewed",
            action="store_true",
            help=_("import and publish without the review (all or none)"),
        )
        parser.add_argument(
            "--organisation", help=_("the organisation's slug on this installation")
        )
        parser.add_argument("--body", help=_("the body's slug within the organisation"))

    def handle(self, *args, files, dry_run, publish_unreviewed, organisation, body, **options):
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
        if not dry_run and not publish_unreviewed and org is None:
            raise CommandError(
                _("Give --organisation: the files wait for review in its workspace.")
            )
        read, problems = batch.unpacked(_files(files))
        for problem in problems:
            self.stderr.write(problem)
        if not dry_run and not publish_unreviewed:
            taken = batch.take_in(org, read, body=the_body, budget=None)
            for problem in taken.problems:
                self.stderr.write(problem)
            if not taken.uploads:
                raise CommandError(_("No file was read into the review queue."))
            marks = sum(len(u.unsure) for u in taken.uploads)
            self.stdout.write(
                _(
                    "%(count)s files read into the review queue (%(marks)s fields to check) "
                    "in %(seconds).1f s: review and import them at /arbete/import/."
                )
                % {
                    "count": len(taken.uploads),
                    "marks": marks,
                    "seconds": time.monotonic() - started,
                }
            )
            return
        prepared = []
        for name, data in read:
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
            # Each file: its fields to check (as paths into the document) beside it.
            out = [
                {
                    "file": p.source.filename,
                    "check": sorted(p.parsed.unsure),
                    "warnings": p.parsed.warnings,
                    "document": p.parsed.document,
                }
                for p in prepared
            ]
            self.stdout.write(
                json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2)
            )
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


def _files(names: list[str]) -> list[tuple[str, bytes]]:
    """The files named, a folder's protocol files (and zips) in name order."""
    out = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".pdf", ".txt", ".zip")
            )
            out += [(str(p), _read(p)) for p in inside]
        else:
            out.append((name, _read(path)))
    return out


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": e}
        ) from None
