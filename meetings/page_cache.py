"""A shared cache of public pages for anonymous visitors.

Nearly everyone who reads the archive is anonymous, and a published protocol never
changes, so the page a visitor got can be handed to the next one: one indexed
query instead of a page rendered. The pages live in the database (CachedPage), not
in a process, so every app server shares them and a publication on one node
empties them for all.

What is kept: a 200 answer to a GET without a session (or message) cookie, that
the view marked `Cache-Control: public`, that sets no cookie and is not streamed;
for at most PUBLIC_PAGE_CACHE_SECONDS (and never longer than its max-age), under
its language, host, path and page number (`sida`). Pages that depend on the day (the anslagstavla, a
scheduled publication) are therefore at most that old.
"""

import datetime
import json
import time
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, get_max_age

from meetings.models import CachedPage

MAX_BYTES = 1024 * 1024
# At most this many pages are kept (a few hundred MB at most); past it, all are let go.
MAX_PAGES = 20000
# Cookies an anonymous visitor may carry without making the page personal.
NEUTRAL_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
# Headers a later request sets itself (the server's Date) or must never replay.
NOT_KEPT = {"set-cookie", "date"}
# The open-data API (meetings/oparl), whose answers depend on the whole query string.
OPEN_DATA_PREFIX = "/oparl/"
LOOKUP = f"SELECT body, headers FROM {CachedPage._meta.db_table} WHERE key = %s AND expires > %s"


def clear() -> None:
    """Forget every kept page: now, and again when the current transaction commits
    (a visitor in between could otherwise keep the old page); in this worker's memory
    too (other workers let theirs go within PUBLIC_PAGE_MEMORY_SECONDS)."""
    CachedPage.objects.all().delete()
    _memory.clear()

    def again():
        CachedPage.objects.all().delete()
        _memory.clear()

    transaction.on_commit(again)


# Each worker also holds a page it read from the table for PUBLIC_PAGE_MEMORY_SECONDS
# (default 1): a burst of readers of one page (a protocol in the news) is answered
# without the database round trip that was most of a kept page's cost (bench/). A
# clear() on another worker reaches this one that much later at most: far within the
# max-age (300 s) the pages already let browsers and proxies keep them. Bounded by
# MEMORY_MAX_BYTES, the oldest let go first.
MEMORY_MAX_BYTES = 16 * 1024 * 1024
_memory: dict[str, tuple[float, bytes, list]] = {}


def _remember(key: str, body: bytes, headers: list) -> None:
    seconds = settings.PUBLIC_PAGE_MEMORY_SECONDS
    if seconds <= 0:
        return
    _memory.pop(key, None)  # held anew: its old body neither counts nor keeps its place
    while _memory and sum(len(b) for _, b, _ in _memory.values()) + len(body) > MEMORY_MAX_BYTES:
        del _memory[next(iter(_memory))]
    _memory[key] = (time.monotonic() + seconds, body, headers)


def _answer(body: bytes, headers: list) -> HttpResponse:
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    return response


def _key(request: HttpRequest) -> str | None:
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if set(request.COOKIES) - NEUTRAL_COOKIES:
        return None
    # Keyed on what the pages read, the path and the page number, so that varying
    # the rest of the query string cannot fill the cache.
    path = request.path
    page = request.GET.get("sida", "")
    if path.startswith(OPEN_DATA_PREFIX):
        # The API's lists read their page and filters from the query string: all of it.
        if request.GET:
            path += "?" + urlencode(sorted(request.GET.items()))
    elif page.isdigit() and page.lstrip("0") not in ("", "1"):
        path += f"?sida={int(page)}"
    if len(path) > 500:
        return None
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return f"{language}|{request.get_host()}|{path}"


def _keep(key: str, response: HttpResponse) -> None:
    max_age = get_max_age(response)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "public" not in response.get("Cache-Control", "")
        or not max_age
        or len(response.content) > MAX_BYTES
        or response.charset.lower() != "utf-8"
    ):
        return
    seconds = min(max_age, settings.PUBLIC_PAGE_CACHE_SECONDS)
    headers = [[k, v] for k, v in response.items() if k.lower() not in NOT_KEPT]
    expires = timezone.now() + datetime.timedelta(seconds=seconds)
    try:
        with transaction.atomic():
            CachedPage.objects.update_or_create(
                key=key,
                defaults={
                    "body": response.content.decode(),
                    "headers": headers,
                    "expires": expires,
                },
            )
    except IntegrityError:  # another worker kept the same page a moment earlier
        pass
    if hash(key) % 100 == 0:  # now and then, drop what has expired, and keep it bounded
        CachedPage.objects.filter(expires__lt=timezone.now()).delete()
        if CachedPage.objects.count() > MAX_PAGES:
            CachedPage.objects.all().delete()


class PublicPageCacheMiddleware:
    """Placed before the session middleware: a kept page is answered without
    sessions, authentication or rendering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key(request)
        if key is None:
            return self.get_response(request)
        held = _memory.get(key)
        if held is not None and held[0] > time.monotonic():
            return _revalidated(request, _answer(held[1], held[2]))
        # Plain SQL: on this path the ORM's query building cost as much as the query.
        with connection.cursor() as cursor:
            cursor.execute(LOOKUP, [key, timezone.now()])
            kept = cursor.fetchone()
        if kept is not None:
            body, headers = kept
            body = body.encode()
            headers = json.loads(headers) if isinstance(headers, str) else headers
            _remember(key, body, headers)
            return _revalidated(request, _answer(body, headers))
        response = self.get_response(request)
        _keep(key, response)
        return response


def _revalidated(request: HttpRequest, kept: HttpResponse) -> HttpResponse:
    """A kept page with an ETag answers a matching If-None-Match with 304, carrying
    the validator and the caching headers as RFC 9110 asks."""
    etag = kept.get("ETag")
    if not etag:
        return kept
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        return kept
    for name in ("ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin",
                 "Access-Control-Expose-Headers"):  # fmt: skip
        if name in kept:
            not_modified[name] = kept[name]
    return not_modified
