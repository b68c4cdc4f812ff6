"""WSGI entry point (gunicorn minutes_site.wsgi)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")

application = get_wsgi_application()


def _report_health() -> None:
    """What `manage.py check` says of the installation's health, said at start-up
    too: gunicorn runs no system checks, and a missing seal would otherwise first
    show when a protocol cannot be sent for justering. (Imported once the app
    registry is ready, after get_wsgi_application.)"""
    from meetings.checks import seal_is_usable

    for message in seal_is_usable():
        logging.getLogger("paragraf").error("%s: %s %s", message.id, message.msg, message.hint)


_report_health()

# What its first request would otherwise pay for (170 ms of a protocol page's 180),
# done as the worker starts (minutes_site/warm.py).
from minutes_site.warm import warm  # noqa: E402 - once the app registry is ready

warm()
