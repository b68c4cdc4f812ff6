"""The API's ids: absolute URLs on SITE_URL built from database keys, so that they
never change with the Host header, an organisation's or body's slug, or a title."""

from django.urls import reverse

from meetings.public.oparl import OPARL_VERSION
from minutes_site.links import absolute


def of(name: str, *args) -> str:
    return absolute(reverse(f"oparl:{name}", args=[str(a) for a in args]))


def type_of(kind: str) -> str:
    return f"{OPARL_VERSION}{kind}"
