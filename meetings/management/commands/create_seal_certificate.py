from django.core.management.base import BaseCommand

from meetings.documents import sealing


class Command(BaseCommand):
    help = (
        "Create a self-signed seal certificate and key where SEAL_CERTIFICATE_FILE and "
        "SEAL_KEY_FILE point, unless they exist. For development and the demo only."
    )

    def handle(self, *args, **options):
        if sealing.create_development_certificate():
            self.stdout.write(f"Created {sealing.certificate_path()} and {sealing.key_path()}.")
        else:
            self.stdout.write(f"{sealing.certificate_path()} already exists; nothing changed.")
