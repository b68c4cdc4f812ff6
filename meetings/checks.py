"""System checks of the installation's health (`manage.py check`, run before
`migrate` and `runserver` too; minutes_site.wsgi logs the same at start-up)."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from meetings import sealing


@checks.register("paragraf")
def seal_is_usable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A protocol is sealed at its last approval: without a usable seal certificate
    no protocol can be justerat, so it is said here, before anyone sends one. A
    development installation gets its self-signed certificate made."""
    if settings.DEBUG:
        sealing.create_development_certificate()
    if reason := sealing.problem():
        return [
            checks.Warning(
                reason,
                hint=_(
                    "No protocol can be sent for justering until the seal is usable: "
                    "install the organisation's certificate and key (README: the seal), "
                    "or run `manage.py create_seal_certificate` for a test "
                    "installation."
                ),
                id="paragraf.W001",
            )
        ]
    if end := sealing.expires_soon():
        return [
            checks.Warning(
                _("The seal certificate expires on %(date)s.") % {"date": f"{end:%Y-%m-%d}"},
                hint=_("Obtain and install a new one before then."),
                id="paragraf.W002",
            )
        ]
    return []
