"""System checks of the installation's health (`manage.py check`, run before
`migrate` and `runserver` too; minutes_site.wsgi logs the same at start-up)."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from meetings.documents import sealing
from meetings.rules import frozen


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


@checks.register("paragraf", checks.Tags.database, deploy=True)
def app_role_owns_no_table(app_configs=None, databases=None, **kwargs) -> list:
    """The triggers that keep a justerat protocol (meetings/rules/frozen.py) bind every
    role but the tables' owner, who may switch them off, and a superuser: the app
    runs as a role that is neither (README: in production). Said by
    `manage.py check --deploy --database default` run as the app, never by a plain
    `check` or `migrate`, which the owner runs."""
    if settings.DEBUG or not databases:
        return []
    found = []
    for alias in databases:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            with connection.cursor() as cursor:
                # pg_has_role is true for a superuser, and for a member of the owner.
                cursor.execute(
                    "SELECT current_user, count(*) FROM pg_class c "
                    "WHERE c.relname = ANY(%s) AND c.relkind = 'r' "
                    "AND pg_has_role(current_user, c.relowner, 'MEMBER')",
                    [list(frozen.NO_TRUNCATE)],
                )
                role, owned = cursor.fetchone()
        except DatabaseError:
            continue  # no database to ask: nothing to say of it here
        if owned:
            found.append(
                checks.Warning(
                    _(
                        "The app connects to the database as %(role)s, which owns the "
                        "protocols' tables or is a superuser: it could switch off the "
                        "triggers that keep a justerat protocol unchanged."
                    )
                    % {"role": role},
                    hint=_(
                        "Run the migrations as the owner and the app as a role with "
                        "only SELECT, INSERT, UPDATE and DELETE on the tables "
                        "(README: in production)."
                    ),
                    id="paragraf.W003",
                )
            )
    return found
