from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes_site import backup


class Command(BaseCommand):
    help = (
        "Brings a copy written by `manage.py backup` back into an empty installation "
        "(migrated, nothing in it), then verifies every sealed document: its SHA-256 "
        "as recorded and its seal. Fails if any does not verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            restored = backup.restore(Path(folder))
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Restored {restored.rows} rows and {restored.files} files. Verified: "
            f"{restored.documents} sealed documents (SHA-256 and seal), "
            f"{restored.imported} imported files (SHA-256)."
        )
        if restored.failures:
            raise CommandError("Not verified:\n" + "\n".join(restored.failures))
