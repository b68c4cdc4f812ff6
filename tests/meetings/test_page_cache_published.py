"""The shared cache of public pages over one published protocol, built once for
the module (each test in a savepoint of its own): anonymous visitors get a kept page
for one query; nobody logged in does; a publication empties it. Cases that need rows
of their own are in test_page_cache."""

import datetime

import pytest
from django.utils import timezone

from meetings.actions import publication, services
from meetings.models import CachedPage
from tests.conftest import justera, published_world_fixtures
from tests.meetings.test_page_cache import BASE, YEAR, get

published_world_fixtures(globals())


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


def test_the_second_anonymous_visitor_gets_the_kept_page_for_one_query(client, published):
    first, _ = get(client, BASE)
    second, queries = get(client, BASE)

    assert queries == 1
    assert second.status_code == 200
    assert second.content == first.content
    for header in (
        "Content-Security-Policy",
        "Content-Language",
        "Cache-Control",
        "Vary",
        "X-Frame-Options",
        "Content-Type",
    ):
        assert second[header] == first[header], header
    assert CachedPage.objects.count() == 1


def test_a_page_lives_no_longer_than_the_setting(client, published):
    get(client, BASE)
    kept = CachedPage.objects.get()
    assert (kept.expires - timezone.now()).total_seconds() == pytest.approx(300, abs=5)
    CachedPage.objects.update(body="stale", expires=timezone.now() - datetime.timedelta(seconds=1))

    response, _ = get(client, BASE)

    assert b"Tj\xc3\xa4nstek\xc3\xb6p Samordnare" in response.content
    assert CachedPage.objects.get().body != "stale"


def test_logged_in_visitors_neither_get_nor_leave_kept_pages(client, secretary_client, published):
    CachedPage.objects.create(
        key=f"sv|testserver|{BASE}",
        body="kept",
        headers=[],
        expires=timezone.now() + datetime.timedelta(minutes=5),
    )

    response = secretary_client.get(BASE)

    assert response.status_code == 200
    assert response.content != b"kept"
    assert response["Cache-Control"] == "private"
    assert list(CachedPage.objects.values_list("body", flat=True)) == ["kept"]


def test_each_language_is_kept_apart(client, published):
    swedish, _ = get(client, BASE)
    client.cookies["django_language"] = "en"
    english, _ = get(client, BASE)

    assert b'<html lang="sv">' in swedish.content
    assert b'<html lang="en">' in english.content
    assert sorted(k.split("|")[0] for k in CachedPage.objects.values_list("key", flat=True)) == [
        "en",
        "sv",
    ]


def test_a_publication_empties_the_cache_so_the_year_shows_the_new_protocol(
    client, published, au, secretary, annica
):
    assert get(client, YEAR)[0].content.count(b"<li") >= 1
    other = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 10, 25), start_time=datetime.time(9)
    )
    services.add_item(other, section="beslut", title="Verksamhetsplan")
    services.start_protocol(other)
    justera(other, justerare=[annica], by=secretary)
    assert b"2021-10-25" not in get(client, YEAR)[0].content  # justerat, not yet published

    publication.publish(other, by=None)

    assert b"2021-10-25" in get(client, YEAR)[0].content


@pytest.mark.parametrize(
    "url",
    [
        "/sok/?q=tj%C3%A4nstek%C3%B6p",
        "/norrbotten/finns-inte/",
        BASE + "protokoll.pdf",
        "/logga-in/",
    ],
)
def test_search_errors_files_and_forms_are_never_kept(client, published, url):
    client.get(url)
    client.get(url)

    assert CachedPage.objects.count() == 0


def test_turned_off_by_setting_zero(client, settings, published):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    get(client, BASE)

    assert CachedPage.objects.count() == 0


def test_varying_the_query_string_does_not_fill_the_cache(client, published):
    """Security probe: 500 query strings once made 500 rows."""
    for i in range(500):
        assert client.get(f"{YEAR}?x={i}&utm={i}").status_code == 200

    assert CachedPage.objects.count() == 1


def test_the_api_keeps_only_a_lists_plain_pages(client, published):
    junk = [f"page={n}" for n in range(2, 102)]  # pages that do not exist: 400
    junk += [f"created_since=2026-01-01T00:00:{n % 60:02d}%2B01:00&x={n}" for n in range(100)]
    junk += [f"elementsPerPage={n % 100 + 1}" for n in range(100)]
    for query in junk:
        assert client.get(f"/oparl/v1/system?{query}").status_code in (200, 400), query
        assert client.get(f"/oparl/v1/body?{query}").status_code in (200, 400), query

    assert CachedPage.objects.count() == 0
    client.get("/oparl/v1/body")
    client.get("/oparl/v1/body?page=1")
    assert CachedPage.objects.count() == 1


def test_a_worker_holds_a_kept_page_in_memory_for_a_moment(client, published, monkeypatch):
    """A burst of readers of one page costs the database nothing for
    PUBLIC_PAGE_MEMORY_SECONDS; then the table is asked again."""
    from meetings.public import page_cache

    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    first, _ = get(client, BASE)  # rendered and kept in the table
    second, from_table = get(client, BASE)  # read from the table, held in memory
    third, from_memory = get(client, BASE)

    assert (from_table, from_memory) == (1, 0)
    assert first.content == second.content == third.content
    assert third["Cache-Control"] == first["Cache-Control"]
    assert third["ETag"] == first["ETag"]

    # Past the moment, the table answers again: what changed there is seen.
    CachedPage.objects.update(body="<p>ändrad</p>")
    now[0] += 1.01
    changed, queries = get(client, BASE)
    assert queries == 1
    assert changed.content == "<p>ändrad</p>".encode()


def test_emptying_the_cache_empties_this_workers_memory_at_once(client, published):
    from meetings.public import page_cache

    get(client, YEAR)
    get(client, YEAR)
    assert get(client, YEAR)[1] == 0  # held in memory

    page_cache.clear()  # what a publication or a correction does

    response, queries = get(client, YEAR)
    assert response.status_code == 200
    assert queries > 1  # rendered anew


def test_the_memory_can_be_turned_off(client, published, settings):
    settings.PUBLIC_PAGE_MEMORY_SECONDS = 0
    get(client, BASE)
    get(client, BASE)

    assert get(client, BASE)[1] == 1
