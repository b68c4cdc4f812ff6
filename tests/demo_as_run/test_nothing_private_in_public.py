"""No e-mail address or account name of the demo reaches a public page (moved from
tests/members/test_security.py to read the package's one seeded demo)."""


def test_no_email_address_or_account_appears_anywhere_public(client, seeded):
    import re

    from meetings.models import Meeting

    published = Meeting.objects.filter(status="publicerat").select_related("body").first()
    base = f"/norralv/{published.body.slug}/{published.date:%Y-%m-%d}/"
    urls = [
        "/",
        "/norralv/",
        "/norralv/anslagstavla/",
        f"/norralv/{published.body.slug}/",
        f"/norralv/{published.body.slug}/2026/",
        base,
        base + "p2/",
        "/sok/?q=beslut",
        "/norralv/flode.atom",
        f"/norralv/{published.body.slug}/flode.atom",
        f"/norralv/{published.body.slug}/sammantraden.ics",
        "/sitemap.xml",
    ]

    published_contact = {"kansliet@norralv.example"}  # the förbund's own, for the public
    for url in urls:
        body = client.get(url).content.decode()
        assert set(re.findall(r"[\w.]+@norralv\.example", body)) <= published_contact, url
        assert "marialindqvist" not in body, url
        assert "sekreterare@" not in body, url
