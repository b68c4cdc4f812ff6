"""Each rule of a protocol lives in its model (clean() and the *_errors methods it
uses); the workspace's forms and the JSON importer ask the model, so a broken rule is
said once, in the same words, wherever it is broken."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from meetings.actions import services
from meetings.models import Attendance, Decision, Meeting, Paragraph
from tests.meetings.test_protocol_json import example
from tests.meetings.test_workspace_protocol import attendance_post, paragraph_post


@pytest.fixture
def drafting(planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    return planned


def errors_shown(html: str, message: str) -> int:
    return html.count(message)


def test_a_confidential_paragraph_without_public_title_is_said_once(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]),
        paragraph_post(item, is_confidential="on", public_title=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_shown(html, "En paragraf med sekretess behöver en offentlig rubrik.") == 1
    item.refresh_from_db()
    assert item.is_confidential is False


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (
            {"kind": "forslag", "text": "Föreslår styrelsen att …"},
            "Ange vilket organ förslaget går till.",
        ),
        ({"kind": "beslut", "text": ""}, "Skriv beslutet."),
        (
            {"kind": "beslut", "text": "Att bifalla.", "votes_for": 5},
            "En omröstning behöver både röster för och emot.",
        ),
    ],
    ids=["proposal without body", "no wording", "half a vote"],
)
def test_a_broken_decision_is_said_once_and_nothing_is_saved(
    secretary_client, drafting, decision, message
):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]),
        paragraph_post(item, text="Min text.", decisions=[decision]),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_shown(html, message) == 1
    assert "Min text." in html
    assert Decision.objects.filter(paragraph=item).count() == 0


def test_a_proposal_body_left_chosen_under_another_kind_is_dropped(
    secretary_client, drafting, styrelse
):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]),
        paragraph_post(
            item, decisions=[{"kind": "beslut", "text": "Att bifalla.", "proposed_to": styrelse.pk}]
        ),
    )

    assert response.status_code == 302
    assert list(item.decisions.values_list("kind", "proposed_to")) == [("beslut", None)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"Lisa Persson": {"capacity": "tjanstgorande_ersattare"}},
            "Ange vilken ledamot ersättaren tjänstgör för.",
        ),
        (
            {"Fredrik Hansson": {"capacity": "franvarande", "present_from": "§4"}},
            "En frånvarande person har inget paragrafintervall.",
        ),
        (
            {"Bengt-Åke Strand": {"present_from": "§5", "present_until": "§4"}},
            "Intervallet slutar innan det börjar.",
        ),
    ],
    ids=["deputy for nobody", "absent with a range", "range backwards"],
)
def test_a_broken_attendance_row_is_said_once(secretary_client, drafting, rows, message):
    def paragraph_key(value):
        return drafting.paragraphs.get(number=int(value[1:])).pk if value.startswith("§") else value

    changes = {
        name: {k: paragraph_key(str(v)) for k, v in row.items()} for name, row in rows.items()
    }
    before = list(drafting.attendances.values_list("person__name", "capacity", "present_from"))

    response = secretary_client.post(
        reverse("workspace:attendance", args=[drafting.pk]), attendance_post(drafting, **changes)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_shown(html, message) == 1
    after = list(drafting.attendances.values_list("person__name", "capacity", "present_from"))
    assert after == before


def _import(tmp_path, data):
    path = tmp_path / "protokoll.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_protocol", str(path))


def _changed(change):
    data = example()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (
            lambda d: d["paragraphs"][1].update(is_confidential=True, public_title=" "),
            "paragraphs[1].public_title",
            Paragraph.confidentiality_errors(True, "")["public_title"],
        ),
        (
            lambda d: d["meeting"].update(end_time=d["meeting"]["start_time"]),
            "meeting.end_time",
            Meeting.time_errors(2, 1)["end_time"],
        ),
        (
            lambda d: d["attendance"][0].update(capacity="franvarande", present_from=1),
            "attendance[0].present_from",
            Attendance.capacity_errors(
                capacity="franvarande",
                person="a",
                substitutes_for=None,
                from_position=1,
                until_position=None,
            )["present_from"],
        ),
        (
            lambda d: d["attendance"][0].update(substitutes_for=d["attendance"][0]["person"]),
            "attendance[0].substitutes_for",
            Attendance.capacity_errors(
                capacity="beslutande",
                person="a",
                substitutes_for="b",
                from_position=None,
                until_position=None,
            )["substitutes_for"],
        ),
    ],
    ids=[
        "confidential without public title",
        "ends at its start",
        "absent with a range",
        "not serving but serving for",
    ],
)
def test_the_importer_refuses_by_the_models_rule_in_its_words(db, tmp_path, change, field, rule):
    data = _changed(change)

    with translation.override("sv"), pytest.raises(CommandError) as refused:
        _import(tmp_path, data)

    with translation.override("sv"):
        assert f"{field}: {rule}" in str(refused.value)
    assert Meeting.objects.count() == 0


def test_templates_ask_the_meeting_not_its_status_strings():
    """A status is named once (Meeting.Status and the properties that ask it): a
    template that compared "installt" would silently break on a renamed status."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    found = [
        f"{path.relative_to(templates)}: {line.strip()[:80]}"
        for path in templates.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if ".status ==" in line or ".status !=" in line or ".status in " in line
    ]

    assert found == []
