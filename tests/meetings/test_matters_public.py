"""Ärendets gång as the public reads it, from the public versions alone: the matter
SF 2021/7 (tests/meetings/matter_world.py) built once for the module, each test in a
savepoint of its own."""

import datetime

from django.urls import reverse

from meetings.models import Matter
from meetings.public import page_cache
from tests import example
from tests.conftest import shared_rows
from tests.meetings.matter_world import build, published_later


def _build() -> dict:
    w = example.justerat_world()
    return build(w.justerat, w.au, w.secretary, w.annica)


_world_built, matter_world = shared_rows("matter_world", _build)


def test_the_public_reads_the_matter_s_path_from_the_public_versions(client, matter_world):
    matter = matter_world["matter"]
    url = reverse("public:matter", kwargs={"org": matter.organisation.slug, "pk": matter.pk})

    html = client.get(url).content.decode()

    # Named by its first open paragraph: the proposal, written without a diarienummer,
    # in the matter as its answer's.
    assert "<h1>Tjänsteköp Samordnare</h1>" in html
    assert "Diarienummer: SF 2021/7" in html
    assert "3 publicerade paragrafer" in html
    # In order, each with its decision; the confidential one by its public title.
    assert html.index("2021-10-11") < html.index("2021-11-08")
    assert "Beslut om tjänsteköp samordnare, beslut." in html
    assert "Individärende" in html
    assert "Kalle Svensson" not in html
    assert "Beslut om individärende" not in html
    # The draft is not public.
    assert "Utvärdering av tjänsteköpet" not in html


def test_the_paragraph_page_shows_the_path_and_a_confidential_one_does_not(client, matter_world):
    decided = matter_world["decided"]
    number = matter_world["decision"]
    number.refresh_from_db()
    html = client.get(decided.paragraph_url(number.number)).content.decode()

    assert "Ärendets gång" in html
    assert "Ärendet SF 2021/7, alla dess paragrafer" in html
    # The answer's proposal, justerat without a diarienummer, is in the path by the link.
    assert "Tjänsteköp Samordnare</a>" in html
    assert "Individärende</a>" in html
    assert "Kalle Svensson" not in html

    secret = matter_world["secret"]
    hemlig = secret.paragraphs.get(is_confidential=True)
    page = client.get(secret.paragraph_url(hemlig.number)).content.decode()
    assert "Ärendets gång" not in page
    assert "SF 2021/7" not in page


def test_the_matter_page_s_queries_do_not_grow_with_its_paragraphs(
    client, matter_world, django_assert_max_num_queries
):
    matter = matter_world["matter"]
    url = f"/{matter.organisation.slug}/arenden/{matter.pk}/"
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
    published_later(
        matter_world,
        datetime.date(2021, 12, 13),
        *[(f"Uppföljning {i}", "SF 2021/7", False, "", None) for i in range(5)],
    )

    page_cache.clear()
    with django_assert_max_num_queries(6):
        html = client.get(url).content.decode()
    assert "8 publicerade paragrafer" in html


def test_the_public_lists_the_matters_and_a_paragraph_alone_links_its_matter(
    client, matter_world, django_assert_max_num_queries
):
    alone, (single,) = published_later(
        matter_world, datetime.date(2021, 12, 13), ("Ny lokal", "SF 2021/40", False, "", None)
    )
    single.refresh_from_db()
    matter = matter_world["matter"]
    org = matter.organisation.slug

    with django_assert_max_num_queries(6):
        html = client.get(f"/{org}/arenden/").content.decode()

    newest = Matter.objects.get(key="SF2021/40")
    assert html.index(f"/{org}/arenden/{newest.pk}/") < html.index(f"/{org}/arenden/{matter.pk}/")
    latest = '<span class="text-nowrap">senast'
    assert f"Tjänsteköp Samordnare</a> (Dnr SF 2021/7), {latest} 2021-11-08</span>" in html
    assert f"Ny lokal</a> (Dnr SF 2021/40), {latest} 2021-12-13</span>" in html
    assert "Individärende" not in html and "Utvärdering" not in html
    assert f"/{org}/arenden/" in client.get(f"/{org}/").content.decode()

    page = client.get(alone.paragraph_url(single.number)).content.decode()
    assert f'<a href="/{org}/arenden/{newest.pk}/">Ärendet SF 2021/40, alla dess paragrafer' in page
    assert "Ärendets gång" not in page  # one step: no path to show
