from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes_site import backup


class Command(BaseCommand):
    help = (
        "Writes a consistent copy of the installation into FOLDER (new or empty): the "
        "rows, every stored file and a manifest with the SHA-256 of each. "
        "`manage.py restore FOLDER` brings it back into an empty installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup.backup(Path(folder))
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(
            f"Backup in {folder}: the rows and {len(manifest['files'])} files ({size} bytes)."
        )
