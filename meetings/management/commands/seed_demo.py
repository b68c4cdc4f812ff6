from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings import demo


class Command(BaseCommand):
    help = (
        "Fill the database with a fictional samordningsförbund and a year of protocols. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=_(
                "password of the demo accounts 'admin' and 'sekreterare' "
                "(without it they cannot log in)"
            ),
        )

    def handle(self, *args, password=None, **options):
        if demo.seed(password=password, justera=True):
            self.stdout.write(_("Demo data created: %(slug)s.") % {"slug": demo.ORGANISATION_SLUG})
        else:
            self.stdout.write(
                _("Demo data already present (%(slug)s); nothing changed.")
                % {"slug": demo.ORGANISATION_SLUG}
            )
