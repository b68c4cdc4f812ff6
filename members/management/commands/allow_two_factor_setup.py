"""Let an account set up its authenticator app at its next login (members/two_factor.py):
for a superuser made with createsuperuser, or someone whose phone was lost (remove
their old device in the admin first)."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.two_factor import allow_enrollment


class Command(BaseCommand):
    help = "Lets USERNAME set up an authenticator app at the next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account is named %(username)s.") % {"username": username})
        if not allow_enrollment(user):
            raise CommandError(
                _(
                    "%(username)s already has an authenticator app; remove its device in the "
                    "admin (TOTP devices) first."
                )
                % {"username": username}
            )
        self.stdout.write(
            _("%(username)s sets up an authenticator app at the next login.")
            % {"username": username}
        )
