"""The shared cache of public pages: anonymous visitors get a kept page for one
query; nobody logged in does; a publication empties it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.actions import publication
from meetings.models import CachedPage
from tests import factories

BASE = "/norrbotten/arbetsutskott/2021-09-27/"
YEAR = "/norrbotten/arbetsutskott/2021/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def published(justerat):
    publication.publish(justerat, by=None)
    return justerat


def get(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, len(context.captured_queries)


@pytest.fixture
def two_pages(published, monkeypatch):
    """The front page's list of organisations, one a page: two pages."""
    monkeypatch.setattr("meetings.views.public.PAGE_SIZE", 1)
    factories.organisation("Samordningsförbundet Västkusten", "vastkusten", "222000-5678")


def test_pages_of_a_list_are_kept_apart(client, two_pages):
    client.get("/")
    client.get("/?sida=1")
    assert client.get("/?sida=2").status_code == 200
    client.get("/?sida=02&x=1")

    assert sorted(CachedPage.objects.values_list("key", flat=True)) == [
        "sv|testserver|/",
        "sv|testserver|/?sida=2",
    ]


def test_junk_queries_leave_at_most_the_real_pages_in_the_cache(client, two_pages):
    """Security probe (issue 27, 7): 300 queries once made 300 rows (41 MB)."""
    junk = [f"sida={n}" for n in range(3, 103)]  # pages that do not exist
    junk += [f"sida={n}&x={n}" for n in range(100)]  # parameters nothing reads
    junk += [f"sida={s}" for s in ("²", "١", "٢", "-1", "0", "1e3", "", " ", "0x2", "+2")] * 10
    for query in junk:
        assert client.get(f"/?{query}").status_code in (200, 404), query
        assert client.get(f"{BASE}?{query}").status_code == 200, query  # no list: sida unread

    # The real pages only ("sida=2&x=2" is the second page).
    assert sorted(CachedPage.objects.values_list("key", flat=True)) == [
        "sv|testserver|/",
        "sv|testserver|/?sida=2",
        f"sv|testserver|{BASE}",
    ]


def test_the_verbs_tell_the_public_site_through_one_signal(client, justerat, secretary):
    """Publishing sends `public_changed` once, asking for the search entries; its one
    receiver writes them and empties the page cache (the verb does neither itself)."""
    from meetings.actions import publication
    from meetings.models import CachedPage, SearchEntry
    from meetings.rules.signals import public_changed

    heard = []

    def listen(sender, **kwargs):
        heard.append((kwargs["meeting"], kwargs["reindex"]))

    CachedPage.objects.create(
        key="/norrbotten/",
        body="old",
        headers=[],
        expires=timezone.now() + datetime.timedelta(minutes=5),
    )
    public_changed.connect(listen)
    try:
        publication.publish(justerat, by=secretary)
    finally:
        public_changed.disconnect(listen)

    assert heard == [(justerat, True)]
    assert not CachedPage.objects.exists()
    assert SearchEntry.objects.filter(meeting=justerat).count() == justerat.paragraphs.count()
