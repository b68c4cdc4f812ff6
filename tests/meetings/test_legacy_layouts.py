"""Layouts of the legacy import read for what they are (issue 31): a margin column
beside the text (meetings/legacy/margins.py), a närvaro- och voteringslista at the
protocol's end (meetings/legacy/tables.py), and the organisation and body the head
names (meetings/legacy/names.py)."""

import pytest

from meetings.legacy import names, parse, source

MARGINS = """\
RENHÅLLNINGSFÖRBUNDET MITTÅDALEN              SAMMANTRÄDESPROTOKOLL
Förbundsstyrelsen                             1994-09-22

Närvarande: Sven-Erik Hägglund (s), ordförande, Bengt Forsberg (s)

§ 4

Delårsbokslut       Ekonomen Britt Söderström redogjorde för delårs-
per den 31          bokslutet per den 31 augusti 1994, bilaga 1.
augusti 1994        Förbundet redovisar ett överskott om 1 312 tkr
                    för perioden mot budgeterade 640 tkr. Avvikelsen
Dnr 58/94           förklaras främst av lägre kostnader för trans-
                    porter till deponin.

                    Förbundsstyrelsen beslöt att godkänna delårs-
                    bokslutet.


§ 5

Förbunds-           Förbundsdirektören rapporterade om arbetet med
direktörens         den nya deponin vid Storbacken -
rapport             tillståndet väntas i november.

                    Rapporten lades till handlingarna.


§ 6

Avtal om insam-     Ärendet utgick, se § 3.
ling av returpapper
"""

VOTE_LIST = """\
TJÄRNVIKA KOMMUN                              PROTOKOLL
Kommunfullmäktige                             Sammanträdesdatum 2024-04-22

Tid och plats            Måndagen den 22 april 2024 kl. 18.00–21.50

Beslutande               Se närvaro- och voteringslista

§ 20  Val av justerare

Kommunfullmäktige beslutar att utse Helena Sandin (M) att jämte ordföranden
justera protokollet.

§ 21  Ny förskola i Bäckby

Kommunfullmäktige beslutar att bygga en ny förskola i Bäckby.

NÄRVARO- OCH VOTERINGSLISTA

                                                       § 21
Ledamot / ersättare               Parti  Närvaro       Ja  Nej  Avst
--------------------------------------------------------------------
Karin Hedlund, ordförande         S      X             X
Lena Sjöberg                      S      Frånv
  Bo Hellström, ers.              S      Tjg           X
Sara Forslund                     S      § 20          X
  Kent Lindqvist, ers.            S      Tjg § 21          X
Helena Sandin                     M      X                 X
--------------------------------------------------------------------
Summa                                                  3   2

Närvarande ej tjänstgörande ersättare: Lisa Wiik (S), Anton Berg (M)
"""


def _read(text: str) -> parse.Parsed:
    taken = source.read("protokoll.txt", text.encode())
    return parse.parse(taken.text, running_heads=taken.running_heads)


def test_a_title_and_a_diarienummer_in_the_margin_are_read_beside_the_text():
    paragraphs = _read(MARGINS).document["paragraphs"]

    assert [(p["number"], p["title"]) for p in paragraphs] == [
        (4, "Delårsbokslut per den 31 augusti 1994"),
        (5, "Förbundsdirektörens rapport"),
        (6, "Avtal om insamling av returpapper"),
    ]
    assert paragraphs[0]["diarienummer"] == "58/94"
    assert paragraphs[0]["text"] == (
        "Ekonomen Britt Söderström redogjorde för delårsbokslutet per den 31 augusti 1994, "
        "bilaga 1. Förbundet redovisar ett överskott om 1 312 tkr för perioden mot "
        "budgeterade 640 tkr. Avvikelsen förklaras främst av lägre kostnader för "
        "transporter till deponin."
    )
    assert [d["text"] for d in paragraphs[0]["decisions"]] == [
        "Förbundsstyrelsen beslöt att godkänna delårsbokslutet."
    ]
    # A dash at a line's end after a space is a dash, not a word broken in two.
    assert "Storbacken - tillståndet" in paragraphs[1]["text"]
    assert paragraphs[1]["decisions"][0]["kind"] == "lagges_till_handlingarna"
    assert paragraphs[2]["is_struck"] is True


def test_a_narvaro_och_voteringslista_is_the_attendance():
    read = _read(VOTE_LIST)
    rows = [
        (
            a["person"],
            a["capacity"],
            a["party"],
            a["substitutes_for"],
            a["present_from"],
            a["present_until"],
        )
        for a in read.document["attendance"]
    ]

    assert rows == [
        ("Karin Hedlund", "beslutande", "S", None, None, None),
        ("Lena Sjöberg", "franvarande", "S", None, None, None),
        ("Bo Hellström", "tjanstgorande_ersattare", "S", "Lena Sjöberg", None, None),
        ("Sara Forslund", "beslutande", "S", None, None, 1),
        ("Kent Lindqvist", "tjanstgorande_ersattare", "S", "Sara Forslund", 2, None),
        ("Helena Sandin", "beslutande", "M", None, None, None),
        ("Lisa Wiik", "ersattare", "S", None, None, None),
        ("Anton Berg", "ersattare", "M", None, None, None),
    ]
    assert read.document["chair"] == "Karin Hedlund"
    assert read.document["justerare"] == ["Helena Sandin"]
    # The list's title and the line naming the votering's § are no § of their own.
    assert [p["number"] for p in read.document["paragraphs"]] == [20, 21]


@pytest.mark.parametrize(
    "head, organisation, body, kind",
    [
        (
            "TJÄRNVIKA KOMMUN          PROTOKOLL        Sida 1 (6)\n"
            "Kommunfullmäktige         Sammanträdesdatum 2024-04-22",
            "Tjärnvika kommun",
            "Kommunfullmäktige",
            "other",
        ),
        (
            "Region Mälarlanda                PROTOKOLL\nKollektivtrafiknämnden",
            "Region Mälarlanda",
            "Kollektivtrafiknämnden",
            "other",
        ),
        (
            "VALLSJÖ KOMMUN      SAMMANTRÄDESPROTOKOLL\nKommunstyrelsens arbetsutskott",
            "Vallsjö kommun",
            "Kommunstyrelsens arbetsutskott",
            "arbetsutskott",
        ),
        (
            "SVENSKA KYRKAN                 PROTOKOLL\nBrännviks församling\nKyrkorådet",
            "Brännviks församling",
            "Kyrkorådet",
            "styrelse",
        ),
        (
            "RENHÅLLNINGSFÖRBUNDET MITTÅDALEN     SAMMANTRÄDESPROTOKOLL\nFörbundsstyrelsen",
            "Renhållningsförbundet Mittådalen",
            "Förbundsstyrelsen",
            "styrelse",
        ),
        (
            "SAMORDNINGSFÖRBUNDET GRÄNSÄLVEN     PROTOKOLL 6/2019\nStyrelsen\nHyttfors kommun",
            "Samordningsförbundet Gränsälven",
            "Styrelsen",
            "styrelse",
        ),
        (
            "Björkvikens hembygdsförening      Org.nr 802415-6633\n"
            "Protokoll fört vid årsmöte söndagen den 27 mars 2011",
            "Björkvikens hembygdsförening",
            "Årsmötet",
            "other",
        ),
    ],
)
def test_the_head_names_the_organisation_and_the_body(head, organisation, body, kind):
    lines = head.split("\n")

    assert names.organisation(lines) == organisation
    assert names.body(lines) == (body, kind)


PROSE = """\
RENHÅLLNINGSFÖRBUNDET MITTÅDALEN              SAMMANTRÄDESPROTOKOLL
Förbundsstyrelsen                             1994-09-22

Närvarande: ledamöterna Sven-Erik Hägglund (s), ordförande, Bengt
Forsberg (s) och Margareta Lundin (m), vice ordförande, den se-
nare fr o m kl 10.30 (§ 3), samt tjänstgörande ersättaren Gunnel
Eriksson (s) för Kjell Sjödin (s).

Dessutom närvarande: förbundsdirektören Tore Lindmark, ekonomen
Britt Söderström (§§ 2-3) samt sekreteraren Inger Fahlén.

Frånvarande: Kjell Sjödin (s).

§ 1 Val av justerare

Förbundsstyrelsen beslöt att utse Bengt Forsberg att justera protokollet.

§ 2 Budget

Förbundsstyrelsen beslöt att anta budgeten.

§ 3 Taxa

Förbundsstyrelsen beslöt att anta taxan.
"""


def test_attendance_written_as_prose_is_read_as_a_list():
    rows = [
        (a["person"], a["capacity"], a["party"], a["role_title"], a["substitutes_for"],
         a["present_from"], a["present_until"])
        for a in _read(PROSE).document["attendance"]
    ]  # fmt: skip

    assert rows == [
        ("Sven-Erik Hägglund", "beslutande", "s", "Ordförande", None, None, None),
        ("Bengt Forsberg", "beslutande", "s", "", None, None, None),
        ("Margareta Lundin", "beslutande", "m", "Vice ordförande", None, 3, None),
        ("Gunnel Eriksson", "tjanstgorande_ersattare", "s", "", "Kjell Sjödin", None, None),
        ("Tore Lindmark", "ovrig", None, "Förbundsdirektör", None, None, None),
        ("Britt Söderström", "ovrig", None, "Ekonom", None, 2, None),  # to the end
        ("Inger Fahlén", "ovrig", None, "Sekreterare", None, None, None),
        ("Kjell Sjödin", "franvarande", "s", "", None, None, None),
    ]


FLATTENED = """\
HÖGSJÖVIKS KOMMUN
SAMMANTRÄDESPROTOKOLL
Bygg- och miljönämnden
2021-06-16

Plats och tid
Beslutande
Övriga deltagare
Utses att justera

Kommunhuset, sammanträdesrum Vråken, kl. 09.00–12.40
Ajournering kl. 10.30–10.45

Ulf Bergdahl (S), ordförande
Anette Vik (S)
Håkan Nord (KD), tjänstgörande ersättare för Bengt Sjölin (C)

Karin Åslund, nämndsekreterare

Anette Vik

§ 78 Val av justerare

Nämnden beslutar att utse Anette Vik att justera protokollet.
"""


def test_a_head_copied_without_its_layout_is_read_label_by_value():
    document = _read(FLATTENED).document

    assert document["meeting"]["place"] == "Kommunhuset, sammanträdesrum Vråken"
    assert (document["meeting"]["start_time"], document["meeting"]["end_time"]) == (
        "09:00",
        "12:40",
    )
    assert [(a["person"], a["capacity"]) for a in document["attendance"]] == [
        ("Ulf Bergdahl", "beslutande"),
        ("Anette Vik", "beslutande"),
        ("Håkan Nord", "tjanstgorande_ersattare"),
        ("Karin Åslund", "ovrig"),
    ]
    assert document["chair"] == "Ulf Bergdahl"
    assert document["justerare"] == ["Anette Vik"]
