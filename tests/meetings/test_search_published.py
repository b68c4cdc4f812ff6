"""Search over one published protocol, built once for the module (`shared_rows`):
each test reads it in a savepoint of its own. Searches that need a protocol of
their own (unpublished, confidential) are in test_search."""

import pytest

from meetings.models import SearchEntry
from meetings.public import search
from tests import example
from tests.conftest import shared_rows

_world_built, world = shared_rows("world", example.published_world)


@pytest.fixture
def published(world):
    return world.published


def found(client, **params) -> str:
    return client.get("/sok/", params).content.decode()


def test_publication_writes_the_search_entries_from_the_public_version(published):
    entries = dict(SearchEntry.objects.values_list("number", "title"))

    assert entries[4] == "Tjänsteköp Samordnare"
    assert len(entries) == published.paragraphs.count()
    assert "fastställa tjänsteköpet" in SearchEntry.objects.get(number=4).body


def test_a_search_finds_the_paragraph_with_the_word_marked(client, published):
    html = found(client, q="tjänsteköpet")

    assert "1 paragraf hittades." in html
    assert "§ 4 Tjänsteköp Samordnare" in html
    assert "<mark>" in html
    assert 'href="/norrbotten/arbetsutskott/2021-09-27/p4/"' in html


@pytest.mark.parametrize("q", ["TJÄNSTEKÖPET", "tjänsteköpet", "Tjänsteköpet", "TJÄNSTEKÖP"])
def test_a_search_is_the_same_in_upper_and_lower_case_å_ä_ö_too(client, published, q):
    html = found(client, q=q)

    assert "1 paragraf hittades." in html, q
    assert "§ 4 Tjänsteköp Samordnare" in html


def test_the_filters_narrow_the_search(client, published):
    assert "1 paragraf hittades." in found(client, q="tjänsteköpet", org="norrbotten", ar="2021")
    assert "0 paragrafer hittades." in found(client, q="tjänsteköpet", ar="2020")


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "'",
        '"',
        '"unclosed',
        "a & b | !c",
        "<script>alert(1)</script>",
        "-",
        "--",
        "\x00nul",
        "ö" * 500,
        "OR AND NOT",
        "(",
        ")",
        ":*",
        "%",
        "_",
        "\\",
        "🙂",
        "tjänsteköp -Boden",
    ],
)
def test_any_query_gives_a_page(client, published, q):
    response = client.get("/sok/", {"q": q, "sida": "x", "ar": "20x1"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("q", ["tjänsteköpet", '"fastställa tjänsteköpet"', "ordet-som-inte-finns"])
def test_a_search_page_reads_its_matches_once(client, published, django_assert_max_num_queries, q):
    # Found (the recent years, then the whole archive when they are fewer than a
    # page of ranking), the page read, the organisations of the filter: the count
    # comes from finding them, never from a second query. On PostgreSQL a word's
    # lexemes are asked once per process (one query more the first time).
    with django_assert_max_num_queries(5):
        client.get("/sok/", {"q": q})
    with django_assert_max_num_queries(4):
        response = client.get("/sok/", {"q": q})

    assert response.status_code == 200
    expected = "0 paragrafer hittades." if q == "ordet-som-inte-finns" else "1 paragraf hittades."
    assert expected in response.content.decode()


def test_a_search_with_more_matches_than_are_ranked_says_so(client, published, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 1)

    html = found(client, q="tjänsteköpet")

    assert (
        "Minst 1 paragrafer hittades: de 1 senaste visas, de mest relevanta först. Välj en "
        "organisation, ett organ eller ett år för att hitta andra."
    ) in html
    assert "§ 4 Tjänsteköp Samordnare" in html


def test_a_search_too_long_is_searched_in_part_and_says_so(client, published):
    html = found(client, q="tjänsteköpet " + "x" * 300)

    assert f"Sökningen var för lång: dess första {search.MAX_QUERY} tecken söktes." in html
    assert "Sökningen var för lång" not in found(client, q="tjänsteköpet")
