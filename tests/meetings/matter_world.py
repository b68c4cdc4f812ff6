"""The worlds of the matter tests (tests/meetings/test_matters*.py, tests/oparl/
test_papers.py, the browser's axe check): later arbetsutskott meetings, published
through the real services, and the matter SF 2021/7 across them."""

import datetime

from meetings.actions import publication, services
from meetings.models import Decision, Matter, Paragraph
from tests.conftest import justera


def later_meeting(au, secretary, day, *items):
    """An arbetsutskott meeting on `day` with `items` (title, diarienummer,
    confidential, public title, answers), its protocol started."""
    meeting = services.plan_meeting(au, by=secretary, date=day, start_time=datetime.time(13))
    made = []
    for title, dnr, secret, public_title, answers in items:
        p = services.add_item(meeting, section="beslut", title=title)
        p.diarienummer = dnr
        p.is_confidential = secret
        p.public_title = public_title
        p.responds_to = answers
        p.text = f"Underlag om {title.lower()}."
        p.save()
        Decision.objects.create(paragraph=p, kind="beslut", text=f"Beslut om {title.lower()}.")
        made.append(p)
    services.start_protocol(meeting)
    return meeting, made


def publish(meeting, annica, secretary):
    justera(meeting, justerare=[annica], by=secretary)
    meeting.refresh_from_db()
    publication.publish(meeting, by=None)
    meeting.refresh_from_db()
    return meeting


def published_later(world: dict, day, *items):
    """A later arbetsutskott meeting of the matter's world (`build`'s) on `day` with
    `items` (as `later_meeting` takes them), justerat and published: (meeting, §§)."""
    meeting, made = later_meeting(world["au"], world["secretary"], day, *items)
    return publish(meeting, world["annica"], world["secretary"]), made


def build(justerat, au, secretary, annica) -> dict:
    """The matter SF 2021/7 in three published meetings: the AU's proposal, an open
    decision answering it, a confidential follow-up; and a draft § not yet justerat."""
    proposal = Paragraph.objects.get(meeting=justerat, title="Tjänsteköp Samordnare")
    # The example's proposal is justerat without a diarienummer: the answer brings it.
    publication.publish(justerat, by=None)
    decided, (decision,) = later_meeting(
        au,
        secretary,
        datetime.date(2021, 10, 11),
        ("Tjänsteköp Samordnare, beslut", "SF 2021/7", False, "", proposal),
    )
    publish(decided, annica, secretary)
    secret, (_hemlig,) = later_meeting(
        au,
        secretary,
        datetime.date(2021, 11, 8),
        ("Individärende Kalle Svensson", "SF 2021/7", True, "Individärende", None),
    )
    publish(secret, annica, secretary)
    draft, (_coming,) = later_meeting(
        au,
        secretary,
        datetime.date(2021, 12, 6),
        ("Utvärdering av tjänsteköpet, utkast", "SF 2021/7", False, "", None),
    )
    return {
        "au": au,
        "secretary": secretary,
        "annica": annica,
        "matter": Matter.objects.get(key="SF2021/7"),
        "decided": decided,
        "decision": decision,
        "secret": secret,
        "draft": draft,
        "proposal": proposal,
    }
