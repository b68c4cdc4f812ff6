from django.core.management.base import BaseCommand, CommandError

from meetings.documents.verification import verify


class Command(BaseCommand):
    help = "Tell whether a PDF is an authentic justerat protocol of this installation."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as f:
                data = f.read()
        except OSError as e:
            raise CommandError(str(e)) from e
        verdict = verify(data)
        if not verdict.authentic:
            raise CommandError(verdict.message)
        self.stdout.write(verdict.message)
        self.stdout.write(f"SHA-256: {verdict.sha256}")
