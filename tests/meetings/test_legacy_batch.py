"""Issue 31: an archive brought in as a batch. Files or a zip read into one review
queue in date order, a correction made in one file offered for the rest of the batch,
each field the reading was unsure of marked where the secretary corrects it, and
nothing published without the review or the command line's explicit flag."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from meetings.legacy import review
from meetings.models import LegacyUpload, Meeting

PROTOCOL = """Samordningsförbundet Provköping
Styrelsen

Datum: {day}
Tid: 09.00–11.00
Plats: Kansliet, Provköping

Beslutande
Ann Ek, ordförande      Provköpings kommun
Bo Lund                 Region Provland
Cilla Berg              Försäkringskassan

Övriga
Dan Ström, förbundschef

§ {first} Val av justerare
Styrelsen beslutar att utse Bo Lund att jämte ordföranden justera protokollet.

§ {second} Ekonomi
Dan Ström redovisar ekonomin, bilaga 1.
Styrelsen beslutar att lägga redovisningen till handlingarna.

Vid protokollet          Justeras

Dan Ström                Ann Ek          Bo Lund
"""


def protocol(day: str, first: int) -> bytes:
    return PROTOCOL.format(day=day, first=first, second=first + 1).encode()


def zipped(*files: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()


def review_post(upload: LegacyUpload, **changes) -> dict:
    """The review form as the browser sends it, with `changes` (name → value)."""
    start = review.initial(upload.document)
    data = {f"m-{k}": ("" if v is None else v) for k, v in start["meeting"].items()}
    data["m-is_remote"] = "on" if start["meeting"]["is_remote"] else ""
    for prefix, rows in (("a", start["attendance"]), ("p", start["paragraphs"])):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            for k, v in row.items():
                value = "" if v is None or v is False else "on" if v is True else v
                data[f"{prefix}-{i}-{k}"] = value
    data["b-TOTAL_FORMS"] = data["b-INITIAL_FORMS"] = str(len(start["bilagor"]))
    for i, row in enumerate(start["bilagor"]):
        data.update({f"b-{i}-{k}": "" if v is None else v for k, v in row.items()})
    data.update(changes)
    return data


@pytest.fixture
def batch_read(secretary_client, organisation, styrelse):
    """Two protocols and a stray file in one zip, uploaded: the later protocol first."""
    response = secretary_client.post(
        reverse("workspace:legacy_uploads"),
        {
            "organisation": organisation.pk,
            "files": SimpleUploadedFile(
                "arkiv.zip",
                zipped(
                    ("2021/protokoll-2021-05-20.txt", protocol("2021-05-20", 11)),
                    ("2021/protokoll-2021-02-11.txt", protocol("2021-02-11", 1)),
                    ("2021/foton.jpg", b"\xff\xd8\xff"),
                    ("__MACOSX/._protokoll-2021-02-11.txt", b"mac"),
                ),
            ),
        },
    )
    return response


def test_a_zip_is_read_as_one_batch_reviewed_in_date_order(batch_read, secretary_client):
    uploads = list(LegacyUpload.objects.order_by("meeting_date"))
    assert [u.filename for u in uploads] == [
        "protokoll-2021-02-11.txt",
        "protokoll-2021-05-20.txt",
    ]
    assert uploads[0].batch == uploads[1].batch != ""
    # The queue starts at the earliest meeting, whatever the order in the zip.
    assert batch_read["Location"] == reverse("workspace:legacy_review", args=[uploads[0].pk])
    listing = secretary_client.get(reverse("workspace:legacy_uploads")).content.decode()
    assert "foton.jpg i arkiv.zip är varken PDF eller text och lämnades utanför." in listing
    assert listing.index("protokoll-2021-02-11.txt") < listing.index("protokoll-2021-05-20.txt")
    page = secretary_client.get(batch_read["Location"]).content.decode()
    assert "1 fil till" not in page
    assert "2 filer i den här omgången väntar på granskning" in page
    assert "Nästa i omgången</a>" not in page or "protokoll-2021-05-20.txt" in page
    assert Meeting.objects.count() == 0  # read, not imported


def test_a_correction_is_offered_for_the_rest_of_the_batch_and_made_there(
    batch_read, secretary_client
):
    first, second = LegacyUpload.objects.order_by("meeting_date")
    assert [a["person"] for a in second.document["attendance"]][:2] == ["Ann Ek", "Bo Lund"]
    assert second.document["chair"] == "Ann Ek"
    url = reverse("workspace:legacy_review", args=[first.pk])

    saved = secretary_client.post(
        url,
        review_post(
            first, **{"a-0-person": "Anna Ek", "a-3-role_title": "Förbundsdirektör", "save": "1"}
        ),
    )
    assert saved.status_code == 302
    first.refresh_from_db()
    assert first.document["chair"] == "Anna Ek"  # renamed where this protocol names her
    page = secretary_client.get(url).content.decode()
    assert "Samma rättelse i resten av omgången?" in page
    assert (
        "Du rättade namnet ”Ann Ek” till ”Anna Ek”: 1 fil till i omgången skriver ”Ann Ek”." in page
    )
    offers = re.findall(r'name="offer" value="(\d+)"', page)
    assert len(offers) == 2  # the name and the title

    # The button belongs to the review form: what is typed there is saved first.
    first.refresh_from_db()
    done = secretary_client.post(
        url, review_post(first, **{"m-place": "Stora salen", "offer": "0"})
    )
    assert done["Location"] == url
    first.refresh_from_db()
    assert first.document["meeting"]["place"] == "Stora salen"  # nothing typed lost
    second.refresh_from_db()
    assert second.document["attendance"][0]["person"] == "Anna Ek"
    assert second.document["chair"] == "Anna Ek"  # renamed where the protocol names her
    assert "Ann Ek" not in str(second.document)
    assert "Ann Ek → Anna Ek rättat i 1 fil till." in secretary_client.get(url).content.decode()
    # An offer no longer there is refused, nothing changes.
    again = secretary_client.post(url, review_post(first, **{"offer": "5"}))
    assert again.status_code == 302
    follow = secretary_client.get(again["Location"]).content.decode()
    assert "Den rättelsen erbjuds inte längre." in follow


def test_importing_goes_on_to_the_next_file_of_the_batch(batch_read, secretary_client):
    first, second = LegacyUpload.objects.order_by("meeting_date")
    url = reverse("workspace:legacy_review", args=[first.pk])

    # The text gives no justering day: the import asks for it, never makes one up.
    asked = secretary_client.post(url, review_post(first, **{"import": "1"}))
    assert asked["Location"] == url
    assert "skriv dagen då protokollet justerades" in secretary_client.get(url).content.decode()
    first.refresh_from_db()
    assert first.meeting is None

    imported = secretary_client.post(
        url, review_post(first, **{"m-justerat_on": "2021-02-15", "import": "1"})
    )

    assert imported.status_code == 302
    assert imported["Location"] == reverse("workspace:legacy_review", args=[second.pk])
    first.refresh_from_db()
    assert first.meeting is not None and first.meeting.status == "publicerat"
    assert f"{first.meeting.justerat_at:%Y-%m-%d}" == "2021-02-15"
    page = secretary_client.get(imported["Location"]).content.decode()
    assert "importerat och publicerat med sina egna datum" in page
    # The last of the batch goes to its published protocol.
    last = secretary_client.post(
        reverse("workspace:legacy_review", args=[second.pk]),
        review_post(second, **{"m-justerat_on": "2021-05-24", "import": "1"}),
    )
    second.refresh_from_db()
    assert last["Location"] == second.meeting.get_absolute_url()


def test_the_review_marks_each_unsure_field_where_it_is_corrected(batch_read, secretary_client):
    first = LegacyUpload.objects.order_by("meeting_date").first()
    assert "bilagor[0].title" in first.unsure  # read beside its mention: always checked
    page = secretary_client.get(
        reverse("workspace:legacy_review", args=[first.pk])
    ).content.decode()

    def marked(field_id: str) -> bool:
        start = page.index(f'id="div_{field_id}"')
        wrapper = page.rfind("<div class=", 0, start)
        return "legacy-unsure" in page[wrapper:start]

    assert marked("id_b-0-title")
    assert not marked("id_p-0-title")
    assert not marked("id_m-date")


def test_an_uppdrag_and_a_confidential_paragraph_are_corrected_in_the_review(
    batch_read, secretary_client
):
    first = LegacyUpload.objects.order_by("meeting_date").first()
    url = reverse("workspace:legacy_review", args=[first.pk])

    wrong = secretary_client.post(
        url,
        review_post(
            first,
            **{
                "p-1-decision_1_uppdrag": "Ta fram en budget; Dan Ström; den 3 mars",
                "p-1-is_confidential": "on",
                "save": "1",
            },
        ),
    )
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "Skriv dagen som ÅÅÅÅ-MM-DD: Ta fram en budget; Dan Ström; den 3 mars" in page
    assert "En paragraf med sekretess behöver en offentlig rubrik." in page
    assert "Ta fram en budget; Dan Ström; den 3 mars</textarea>" in page  # nothing lost

    right = secretary_client.post(
        url,
        review_post(
            first,
            **{
                "p-1-decision_1_uppdrag": "Ta fram en budget; Dan Ström; 2021-03-03",
                "p-1-is_confidential": "on",
                "p-1-public_title": "Ekonomi",
                "save": "1",
            },
        ),
    )
    assert right.status_code == 302
    first.refresh_from_db()
    paragraph = first.document["paragraphs"][1]
    assert paragraph["decisions"][0]["uppdrag"] == [
        {"description": "Ta fram en budget", "assignee": "Dan Ström", "due_date": "2021-03-03"}
    ]
    assert (paragraph["is_confidential"], paragraph["public_title"]) == (True, "Ekonomi")
    assert first.document["bilagor"][0]["is_public"] is False  # the secret §'s bilaga


def test_the_command_line_queues_a_folder_for_review_and_publishes_only_when_told(
    organisation, styrelse, tmp_path, capsys
):
    folder = tmp_path / "arkiv"
    (folder / "2021").mkdir(parents=True)
    (folder / "2021" / "a.txt").write_bytes(protocol("2021-05-20", 11))
    (folder / "b.zip").write_bytes(zipped(("b.txt", protocol("2021-02-11", 1))))

    with pytest.raises(CommandError, match="Ange --organisation"):
        call_command("import_legacy", str(folder))
    call_command("import_legacy", "--organisation", organisation.slug, str(folder))

    out = capsys.readouterr().out
    assert "2 filer lästa till granskningskön" in out
    assert sorted(LegacyUpload.objects.values_list("filename", flat=True)) == ["a.txt", "b.txt"]
    assert len(set(LegacyUpload.objects.values_list("batch", flat=True))) == 1
    assert Meeting.objects.count() == 0  # nothing published without the review

    # The same files again are waiting already; with the flag they are published.
    with pytest.raises(CommandError, match="Ingen fil lästes till granskningskön"):
        call_command("import_legacy", "--organisation", organisation.slug, str(folder))
    assert "väntar redan på granskning" in capsys.readouterr().err
    call_command(
        "import_legacy", "--publish-unreviewed", "--organisation", organisation.slug, str(folder)
    )
    assert "Importerade 2 protokoll" in capsys.readouterr().out
    assert Meeting.objects.filter(status="publicerat").count() == 2


def test_a_correction_taken_back_is_offered_no_more(batch_read, secretary_client):
    first, second = LegacyUpload.objects.order_by("meeting_date")
    url = reverse("workspace:legacy_review", args=[first.pk])
    secretary_client.post(
        url, review_post(first, **{"a-1-party": "Region Provland Väst", "save": "1"})
    )
    assert "Samma rättelse" in secretary_client.get(url).content.decode()

    first.refresh_from_db()
    secretary_client.post(url, review_post(first, **{"a-1-party": "Region Provland", "save": "1"}))

    assert "Samma rättelse" not in secretary_client.get(url).content.decode()
    second.refresh_from_db()
    assert second.document["attendance"][1]["party"] == "Region Provland"


def test_the_queue_goes_on_after_the_file_reviewed_then_round(batch_read, secretary_client):
    first, second = LegacyUpload.objects.order_by("meeting_date")
    on_first = secretary_client.get(reverse("workspace:legacy_review", args=[first.pk]))
    on_second = secretary_client.get(reverse("workspace:legacy_review", args=[second.pk]))

    assert f'href="/arbete/import/{second.pk}/">Nästa i omgången' in on_first.content.decode()
    assert f'href="/arbete/import/{first.pk}/">Nästa i omgången' in on_second.content.decode()


def test_discarding_a_file_asks_first(batch_read, secretary_client):
    first = LegacyUpload.objects.order_by("meeting_date").first()
    url = reverse("workspace:legacy_discard", args=[first.pk])

    asked = secretary_client.get(url)
    assert asked.status_code == 200
    assert "Ta bort protokoll-2021-02-11.txt?" in asked.content.decode()
    assert LegacyUpload.objects.filter(pk=first.pk).exists()

    done = secretary_client.post(url)
    assert done["Location"] == reverse("workspace:legacy_uploads")
    assert not LegacyUpload.objects.filter(pk=first.pk).exists()


def test_the_paragraph_a_paragraph_answers_is_corrected_in_the_review(
    batch_read, secretary_client, au
):
    first = LegacyUpload.objects.order_by("meeting_date").first()
    url = reverse("workspace:legacy_review", args=[first.pk])

    wrong = secretary_client.post(
        url, review_post(first, **{"p-1-responds_to": "AU:s paragraf tolv", "save": "1"})
    )
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "Skriv den paragraf den besvarar som ”Arbetsutskottet § 12/2024”." in page
    assert 'value="AU:s paragraf tolv"' in page  # nothing lost
    unknown = secretary_client.post(
        url, review_post(first, **{"p-1-responds_to": "Beredningen § 7/2020", "save": "1"})
    )
    assert unknown.status_code == 400
    assert "Inget organ här heter ”Beredningen”: skriv ett av Arbetsutskottet, Styrelsen." in (
        unknown.content.decode()
    )

    right = secretary_client.post(
        url, review_post(first, **{"p-1-responds_to": "AU § 7/2020", "save": "1"})
    )
    assert right.status_code == 302
    first.refresh_from_db()
    link = {"body": au.slug, "number": 7, "year": 2020}
    assert first.document["paragraphs"][1]["responds_to"] == link
    # Shown again as it was written, and taken back by emptying it.
    assert review.initial(first.document, [au])["paragraphs"][1]["responds_to"] == (
        f"{au.name} § 7/2020"
    )
    secretary_client.post(url, review_post(first, **{"p-1-responds_to": "", "save": "1"}))
    first.refresh_from_db()
    assert first.document["paragraphs"][1]["responds_to"] is None


def test_a_paragraph_number_another_file_or_the_archive_holds_is_said_in_the_review(
    batch_read, secretary_client
):
    first, second = LegacyUpload.objects.order_by("meeting_date")
    later = reverse("workspace:legacy_review", args=[second.pk])
    assert "finns också i" not in secretary_client.get(later).content.decode()

    # The later protocol's § 11 and 12 read as § 2 and 3; the earlier one holds § 2.
    saved = secretary_client.post(
        later,
        review_post(
            second, **{"p-0-number": "2", "p-1-number": "3", "b-0-paragraph": "3", "save": "1"}
        ),
    )
    assert saved.status_code == 302
    page = secretary_client.get(later).content.decode()
    assert (
        "§ 2 år 2021 finns också i protokoll-2021-02-11.txt, som väntar på granskning: "
        "rätta numret i den ena av dem."
    ) in page
    earlier = reverse("workspace:legacy_review", args=[first.pk])
    assert "protokoll-2021-05-20.txt, som väntar" in secretary_client.get(earlier).content.decode()

    # Once the earlier one is imported, the number is the archive's.
    secretary_client.post(
        earlier, review_post(first, **{"m-justerat_on": "2021-02-15", "import": "1"})
    )
    with_archive = secretary_client.get(later).content.decode()
    assert "§ 2 år 2021 finns redan i det här organets arkiv." in with_archive
    assert "som väntar på granskning" not in with_archive
