from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.documents.public_version import make_missing


class Command(BaseCommand):
    help = _(
        "Make the public version of every justerat protocol that has none (protocols "
        "justerat before public versions existed), and index them anew for search."
    )

    def handle(self, *args, **options):
        made = make_missing()
        for public in made:
            self.stdout.write(str(public.meeting))
        self.stdout.write(_("%(count)s public versions made.") % {"count": len(made)})
