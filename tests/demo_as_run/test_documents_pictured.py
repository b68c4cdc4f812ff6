"""The demo's documents pictured as PNG for a person to look at (moved from
tests/meetings/test_protocol_documents.py to read the package's one seeded demo)."""

from meetings.actions import kallelse
from meetings.models import Meeting
from tests.meetings.test_protocol_documents import picture


def test_the_demos_documents_are_pictured_for_a_look(seeded):

    made = []
    for body in ("arbetsutskott", "styrelse"):
        latest = (
            Meeting.objects.filter(body__slug=body, status="publicerat").order_by("-date").first()
        )
        made += picture(latest.archive.pdf.read(), f"protokoll-{body}-{latest.date}")
        made += picture(latest.public_version.pdf.read(), f"offentlig-{body}-{latest.date}")
        called = Meeting.objects.filter(body__slug=body, status="kallat").get()
        made += picture(kallelse.render(called), f"kallelse-{body}-{called.date}")

    assert len(made) >= 6
    for png in made:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 5000, png  # a page with text on it, not a blank one
