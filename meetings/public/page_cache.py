"""A shared cache of public pages for anonymous visitors.

Nearly everyone who reads the archive is anonymous, and a published protocol never
changes, so the page a visitor got can be handed to the next one: one indexed
query instead of a page rendered. The pages live in the database (CachedPage), not
in a process, so every app server shares them and a publication on one node
empties them for all.

What is kept: a 200 answer to a GET without a session (or message) cookie, that
the view marked `Cache-Control: public`, that sets no cookie and is not streamed;
for at most PUBLIC_PAGE_CACHE_SECONDS (and never longer than its max-age), under
its language, host, path and page number (`sida`, the API's `page`). Pages that
depend on the day (the anslagstavla, a scheduled publication) are therefore at most
that old.

Only canonical addresses are kept, so that no stream of distinct query strings can
fill the table: a page's other parameters are not read by the views and leave the
key unchanged; a page number is kept only when the view served that very page
(`listed`: it exists, and the view is a list); in the API, only a list's plain
pages (a filter or a page size is answered, never kept).
"""

import datetime
import json
import re
import time

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
# A page number as the views read it: ASCII digits without a leading zero. Not
# str.isdigit(), which takes "²" (which int() refuses) and "٢" (which int() reads as 2).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")
# The attribute by which a list view tells which page it served (`listed`).
LISTED = "paragraf_listed_page"
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


def page_asked(query, name: str = "sida") -> int | None:
    """The page number the query string asks for, or None when it gives none (or
    something that is no page number: a list then shows its first page)."""
    text = query.get(name)
    if text is None or not PAGE_NUMBER.fullmatch(text):
        return None
    return int(text)


def listed(request: HttpRequest, number: int) -> None:
    """A list view says which page it served: only then is that page's address kept."""
    setattr(request, LISTED, number)


def _key(request: HttpRequest) -> tuple[str, int] | None:
    """The key a page is kept under, and the page number in it (1: none); None when
    this request's answer is neither taken from the cache nor kept."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if set(request.COOKIES) - NEUTRAL_COOKIES:
        return None
    path = request.path
    if path.startswith(OPEN_DATA_PREFIX):
        # The API reads its filters and page size from the query string: each of the
        # endless values would be a page of its own, so only a list's plain pages
        # are kept; a page number that is none is refused by the API (400).
        name = "page"
        if set(request.GET) - {name}:
            return None
        number = page_asked(request.GET, name)
        if name in request.GET and number is None:
            return None
    else:
        # The pages read nothing else from the query string: the rest leaves the key
        # unchanged. What is no page number shows the first page.
        name = "sida"
        number = page_asked(request.GET, name)
    number = number or 1
    if number > 1:
        path += f"?{name}={number}"
    if len(path) > 500:
        return None
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return f"{language}|{request.get_host()}|{path}", number


def _keep(request: HttpRequest, key: str, number: int, response: HttpResponse) -> None:
    max_age = get_max_age(response)
    if (
        # A page past the first only when the view served that very page.
        (number > 1 and getattr(request, LISTED, None) != number)
        or response.status_code != 200
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
        keyed = _key(request)
        if keyed is None:
            return self.get_response(request)
        key, number = keyed
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
        _keep(request, key, number, response)
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
    for name in (
        "ETag",
        "Cache-Control",
        "Vary",
        "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers",
    ):
        if name in kept:
            not_modified[name] = kept[name]
    return not_modified
