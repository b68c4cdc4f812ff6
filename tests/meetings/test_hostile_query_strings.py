"""Odd values in every public query string (security probe, issue 27 item 6) over
one published protocol, built once for the module (`shared_rows`): each test reads
it in a savepoint of its own. The rest of the hostile input is in test_hostile_input."""

import pytest

from tests import example
from tests.conftest import shared_rows

BASE = "/norrbotten/arbetsutskott/2021-09-27/"

_world_built, world = shared_rows("world", example.published_world)


@pytest.fixture
def published(world):
    return world.published


# Security probe (issue 27, 6): odd numbers in the query string once answered 500
# ("²".isdigit() is true, int("²") raises; 9999-12-31T23:59:59+14:00 overflowed).
ODD = ["²", "١", "٢", "-1", "0", "00", "1e3", "", " ", "+2", "0x2", "1.0", "2 ", "\x00",
       "9" * 30, "99999999", "%"]  # fmt: skip
ODD_MOMENTS = ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-14:00",
               "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "10000-01-01T00:00:00",
               "2026-13-01T00:00:00", "2026-01-01", "²⁰²⁶-01-01T00:00:00", "", " ", "x"]  # fmt: skip


@pytest.fixture
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("value", ODD)
def test_an_odd_page_number_shows_the_first_page_or_none(client, published, cache_on, value):
    """A list shows its first page for what is no page number (as search always did),
    and finds no page past its last; the same twice (the second from the cache)."""
    for url in ("/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/2021/"):
        for _ in range(2):
            response = client.get(url, {"sida": value})
            if value in ("99999999",):
                assert response.status_code == 404, url
            else:
                assert response.status_code == 200, url
                assert "Samordningsförbundet Norrbotten" in response.content.decode()


@pytest.mark.parametrize("value", ODD)
def test_odd_search_parameters_give_a_page(client, published, cache_on, value):
    for name in ("sida", "ar", "org", "organ", "q"):
        response = client.get("/sok/", {"q": "tjänsteköp", "org": "norrbotten", name: value})
        assert response.status_code == 200, name


@pytest.mark.parametrize("value", ODD)
def test_an_odd_page_or_page_size_in_the_api_is_a_400(client, published, cache_on, value):
    if value == "":
        return  # page= with nothing: as no page (below)
    for name in ("page", "elementsPerPage"):
        for _ in range(2):
            response = client.get("/oparl/v1/body", {name: value})
            assert response.status_code == 400, (name, value)
            assert response.json()["debug"].startswith("400 Bad Request")


@pytest.mark.parametrize("value", ODD_MOMENTS)
def test_an_odd_moment_in_an_api_filter_is_a_400(client, published, cache_on, value):
    for name in ("created_since", "created_until", "modified_since", "modified_until"):
        response = client.get("/oparl/v1/body", {name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["debug"].startswith("400 Bad Request")


def test_the_api_takes_moments_within_its_range(client, published):
    for value in (
        "1900-01-01T00:00:00+00:00",
        "8999-12-31T23:59:59+14:00",
        "2026-01-01T00:00:00+01:00",
    ):
        assert client.get("/oparl/v1/body", {"created_until": value}).status_code == 200


def test_odd_values_on_every_public_query_parameter_never_answer_500(client, published, cache_on):
    """Every public URL that reads its query string, and a few that do not."""
    urls = {
        "/": ["sida"],
        "/norrbotten/": ["sida"],
        "/norrbotten/anslagstavla/": ["sida"],
        "/norrbotten/arbetsutskott/": ["sida"],
        "/norrbotten/arbetsutskott/2021/": ["sida"],
        BASE: ["sida"],
        "/sok/": ["q", "org", "organ", "ar", "sida"],
        "/sprak/en/": ["next"],
        "/sitemap.xml": ["p"],
        "/sitemap-paragraphs.xml": ["p"],
        "/norrbotten/flode.atom": ["sida"],
        "/norrbotten/arbetsutskott/sammantraden.ics": ["x"],
        "/verifiera/": ["sida"],
        "/oparl/v1/system": ["page"],
        "/oparl/v1/body": ["page", "elementsPerPage", "created_since", "modified_until"],
        "/oparl/v1/meeting": ["page", "created_until", "modified_since"],
    }
    for url, names in urls.items():
        for name in names:
            for value in ODD + ODD_MOMENTS:
                response = client.get(url, {name: value})
                assert response.status_code in (200, 302, 400, 404), (url, name, value)
