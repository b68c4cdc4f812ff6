"""Absolute addresses the site hands out (in e-mails, feeds, the calendar, the
sitemap), built from SITE_URL and never from a visitor's Host header."""

from django.conf import settings


def absolute(path: str) -> str:
    """`path` ("/justera/12/") on the site's own address."""
    return settings.SITE_URL + path
