"""A realistic archive at national scale, written with bulk inserts.

Every förbund gets a styrelse and an arbetsutskott, members from five parties, and
a number of years of justerade, published protocols: attendance, justerare,
paragraphs with decisions, the archived JSON (exactly what `export_protocol` would
have written, checked after loading), and the search entries. The archived PDF of
every protocol, and of its public version, points at one sealed file: the bench
renders PDFs separately.
"""

import datetime
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from meetings.documents.protocol_json import FORMAT_NAME, FORMAT_VERSION, dumps
from meetings.documents.public_version import redact
from meetings.models import (
    ArchivedProtocol,
    Attendance,
    Decision,
    Justerare,
    Meeting,
    Paragraph,
    PublicProtocol,
    SearchEntry,
)
from members.models import Body, Membership, Organisation, Party, Person, StaffRole

PDF_NAME = "bench/protokoll.pdf"

PLACES = ["Kommunhuset, Luleå", "Via Teams", "Förbundets kansli", "Stadshuset, sal B"]
KOMMUNER = ["Norrby", "Söderås", "Västerfors", "Österlund", "Älvdal", "Bergsjö", "Sjövik"]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mats",
         "Åsa", "Björn", "Lena", "Göran", "Ingrid", "Nils", "Elin", "Oskar"]  # fmt: skip
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Lindqvist", "Holmström", "Öberg"]  # fmt: skip
SUBJECTS = [
    "Verksamhetsplan och budget", "Delårsrapport", "Årsredovisning", "Tjänsteköp samordnare",
    "Insatskatalog", "Uppföljning av insatser", "Ansökan om medel för arbetsträning",
    "Samverkansöverenskommelse", "Internkontrollplan", "Sammanträdesplan",
    "Riktlinjer för finansiering", "Projekt Steget vidare", "Rapport från förbundschefen",
    "Attestordning", "Dataskyddsombud", "Revisorernas granskning", "Kvartalsrapport",
    "Strukturövergripande insatser", "Utvärdering av individinsatser", "Kompetensutveckling",
]  # fmt: skip
WORDS = (  # noqa: SIM905 (a sentence of words reads better than a list)
    "samordningsförbundet insatser deltagare arbetslivet rehabilitering samverkan "
    "Försäkringskassan Arbetsförmedlingen regionen kommunerna budgeten medel uppföljning "
    "målgruppen unga vuxna försörjningsstöd sjukskrivning arbetsträning studier "
    "beslutsunderlag handläggare kartläggning utvecklingsmedel resultat indikatorer "
    "finansiering överenskommelse verksamheten ledningsgruppen beredningsgruppen "
    "individuella strukturella lokala regionala långsiktiga förebyggande stöd vägledning "
    "nyanlända funktionsnedsättning psykisk ohälsa hälsa arbetsmarknad utbildning"
).split()
RARE = ["kvartalsavstämning", "Stegvisfonden", "Älvdalsmodellen", "pilotkommunerna",
        "språkpraktik", "Ungdomslyftet", "matchningsteamet", "lönebidragsanställning"]  # fmt: skip
OPENING = [("inledning", "Mötets öppnande"), ("inledning", "Val av justerare"),
           ("inledning", "Godkännande av dagordning")]  # fmt: skip
CLOSING = [("avslutning", "Mötets avslutande")]


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 14))
    if rng.random() < 0.05:
        words[rng.randrange(len(words))] = rng.choice(RARE)
    return " ".join(words).capitalize() + "."


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _timestamp(date: datetime.date, days: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)), None) + (
        datetime.timedelta(days=days)
    )


def meeting_dates(year: int, meetings: int) -> list[datetime.date]:
    """Meetings spread over the year, none in July."""
    months = [m for m in range(1, 13) if m != 7][:meetings]
    return [datetime.date(year, m, 8 + (i % 3)) for i, m in enumerate(months)]


def build(
    *, organisations: int, years: int, meetings: int, paragraphs: int, seed: int = 1, progress=print
) -> dict:
    """Write the data set; returns counts. Years end with the last full year, so that
    every protocol is published whatever day the bench runs."""
    rng = random.Random(seed)
    last_year = timezone.localdate().year - 1
    year_range = range(last_year - years + 1, last_year + 1)
    password = make_password("bench-lösenord")
    counts = dict.fromkeys(["meetings", "paragraphs", "decisions", "attendance"], 0)
    for n in range(organisations):
        with transaction.atomic():
            counts_org = _organisation(n, rng, year_range, meetings, paragraphs, password)
        for key in counts:
            counts[key] += counts_org[key]
        if (n + 1) % 10 == 0 or n + 1 == organisations:
            progress(f"  {n + 1}/{organisations} organisations, {counts['paragraphs']} paragraphs")
    _fill_search_vectors()
    return counts


def _organisation(n, rng, year_range, per_year, per_meeting, password) -> dict:
    kommun = KOMMUNER[n % len(KOMMUNER)]
    org = Organisation.objects.create(
        name=f"Samordningsförbundet {kommun} {n + 1}",
        slug=f"forbund-{n + 1:02d}",
        organisation_number=f"{222000 + n:06d}-{1000 + n:04d}",
    )
    styrelse = Body.objects.create(
        organisation=org, name="Styrelsen", slug="styrelse", kind="styrelse"
    )
    au = Body.objects.create(
        organisation=org,
        name="Arbetsutskottet",
        slug="arbetsutskott",
        kind="arbetsutskott",
        prepares_for=styrelse,
    )
    parties = Party.objects.bulk_create(
        [
            Party(organisation=org, name=name, kind=kind)
            for name, kind in (
                ("Försäkringskassan", "forsakringskassan"),
                ("Arbetsförmedlingen", "arbetsformedlingen"),
                ("Region Nordmark", "region"),
                (f"{kommun} kommun", "kommun"),
                (f"{KOMMUNER[(n + 1) % len(KOMMUNER)]} kommun", "kommun"),
            )
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                name=f"{FIRST[(n + i) % len(FIRST)]} {LAST[(n * 3 + i) % len(LAST)]}",
            )
            for i in range(10)
        ]
        + [Person(organisation=org, name=f"{FIRST[n % len(FIRST)]} Chefsson", title="Förbundschef")]
    )
    members, chief = people[:10], people[10]
    # The secretary of each förbund has an account (for the workspace's query counts).
    user = User.objects.create(username=f"sekreterare-{n + 1:02d}", password=password)
    StaffRole.objects.create(user=user, organisation=org, role="sekreterare")
    chief.user = user
    chief.save(update_fields=["user"])
    term = {
        "start": datetime.date(year_range[0], 1, 1),
        "end": datetime.date(year_range[-1], 12, 31),
    }
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                body=styrelse,
                role="ordforande" if i == 0 else "ledamot",
                party=parties[i % 5],
                **term,
            )
            for i, p in enumerate(members[:8])
        ]
        + [
            Membership(person=p, body=styrelse, role="ersattare", party=parties[i % 5], **term)
            for i, p in enumerate(members[8:])
        ]
        + [
            Membership(
                person=p,
                body=au,
                role="ordforande" if i == 0 else "ledamot",
                party=parties[i % 5],
                **term,
            )
            for i, p in enumerate(members[:3])
        ]
    )

    counts = dict.fromkeys(["meetings", "paragraphs", "decisions", "attendance"], 0)
    for body, seated in ((styrelse, members[:8]), (au, members[:3])):
        for year in year_range:
            dates = meeting_dates(year, per_year)
            rows = Meeting.objects.bulk_create(
                [
                    Meeting(
                        body=body,
                        date=d,
                        start_time=datetime.time(9),
                        end_time=datetime.time(12),
                        place=rng.choice(PLACES),
                        status=Meeting.Status.GENOMFORT,
                        chair=seated[0],
                        secretary=chief,
                    )
                    for d in dates
                ]
            )
            _protocols(rows, body, year, seated, members, chief, parties, per_meeting, rng, counts)
    return counts


def _protocols(meetings, body, year, seated, members, chief, parties, per_meeting, rng, counts):
    org = body.organisation
    paragraph_rows, planned = [], []
    number = 0
    for meeting in meetings:
        items = [*OPENING]
        for _ in range(per_meeting - len(OPENING) - len(CLOSING)):
            section = rng.choice(["beslut", "beslut", "information", "diskussion"])
            items.append((section, rng.choice(SUBJECTS)))
        items += CLOSING
        rows = []
        for position, (section, title) in enumerate(items, start=1):
            number += 1
            text = _text(rng, rng.randint(2, 5)) if section != "inledning" else ""
            rows.append(
                Paragraph(
                    meeting=meeting,
                    body=body,
                    year=year,
                    position=position,
                    number=number,
                    section=section,
                    title=title,
                    text=text,
                    diarienummer=f"{year}/{number:03d}" if section == "beslut" else "",
                )
            )
        paragraph_rows += rows
        planned.append((meeting, rows))
    Paragraph.objects.bulk_create(paragraph_rows)

    decisions, attendance, justerare, archives, publics, entries = [], [], [], [], [], []
    for meeting, rows in planned:
        justerare_person = seated[1] if len(seated) > 1 else seated[0]
        justerare.append(Justerare(meeting=meeting, person=justerare_person))
        meeting_attendance = [
            Attendance(
                meeting=meeting, person=p, capacity="beslutande", party=parties[i % 5], order=i
            )
            for i, p in enumerate(seated)
        ] + [
            Attendance(
                meeting=meeting,
                person=chief,
                capacity="ovrig",
                role_title="Förbundschef",
                order=len(seated),
            )
        ]
        attendance += meeting_attendance
        meeting_decisions = {}
        for p in rows:
            if p.section in ("beslut", "inledning"):
                verb = "beslutar att" if p.section == "beslut" else "beslutar att godkänna"
                d = Decision(
                    paragraph=p, kind="beslut", text=f"{body.name} {verb} {_sentence(rng).lower()}"
                )
            else:
                d = Decision(
                    paragraph=p,
                    kind="lagges_till_handlingarna",
                    text="Informationen läggs till handlingarna.",
                )
            meeting_decisions[p.position] = [d]
            decisions.append(d)
        data = _export(
            meeting, body, org, rows, meeting_attendance, [justerare_person], meeting_decisions
        )
        content = dumps(data)
        archives.append(
            ArchivedProtocol(
                meeting=meeting,
                pdf=PDF_NAME,
                content=content,
                sha256=hashlib.sha256(f"bench-{meeting.pk}".encode()).hexdigest(),
                content_hash=hashlib.sha256(content.encode()).hexdigest(),
            )
        )
        publics.append(
            PublicProtocol(
                meeting=meeting,
                pdf=PDF_NAME,
                content=dumps(redact(data)),
                sha256=hashlib.sha256(f"bench-public-{meeting.pk}".encode()).hexdigest(),
            )
        )
        for p in rows:
            body_text = "\n".join(d.text for d in meeting_decisions[p.position])
            entries.append(
                SearchEntry(
                    meeting=meeting,
                    date=meeting.date,
                    number=p.number,
                    title=p.title,
                    body=f"{p.text}\n{body_text}".strip(),
                )
            )
    Decision.objects.bulk_create(decisions)
    Attendance.objects.bulk_create(attendance)
    Justerare.objects.bulk_create(justerare)
    ArchivedProtocol.objects.bulk_create(archives)
    for public, archive in zip(publics, archives, strict=True):
        public.original = archive
    PublicProtocol.objects.bulk_create(publics)
    SearchEntry.objects.bulk_create(entries)
    # Justerat and published a week after the meeting; from here on the database
    # refuses any change to these protocols.
    for meeting in meetings:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.PUBLICERAT,
            justerat_at=_timestamp(meeting.date, 7),
            publish_on=meeting.date + datetime.timedelta(days=8),
        )
    counts["meetings"] += len(meetings)
    counts["paragraphs"] += len(paragraph_rows)
    counts["decisions"] += len(decisions)
    counts["attendance"] += len(attendance)


def _export(meeting, body, org, rows, attendance, justerare, decisions) -> dict:
    """The export format of meetings.documents.protocol_json, built from the rows in memory
    (the loader checks one protocol against the real export)."""
    body_json = {"name": body.name, "slug": body.slug, "kind": body.kind}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "organisation": {
            "name": org.name,
            "slug": org.slug,
            "organisation_number": org.organisation_number,
            "website": org.website,
        },
        "body": body_json,
        "meeting": {
            "date": meeting.date.isoformat(),
            "start_time": "09:00",
            "end_time": "12:00",
            "place": meeting.place,
            "is_remote": False,
            "status": "justerat",
        },
        "chair": meeting.chair.name,
        "secretaries": [meeting.secretary.name],
        "justerare": [p.name for p in justerare],
        "attendance": [
            {
                "person": a.person.name,
                "capacity": a.capacity,
                "party": a.party.name if a.party else None,
                "role_title": a.role_title,
                "substitutes_for": None,
                "present_from": None,
                "present_until": None,
            }
            for a in attendance
        ],
        "paragraphs": [
            {
                "position": p.position,
                "number": p.number,
                "section": p.section,
                "title": p.title,
                "text": p.text,
                "diarienummer": p.diarienummer,
                "is_confidential": False,
                "public_title": "",
                "is_struck": False,
                "responds_to": None,
                "decisions": [
                    {
                        "kind": d.kind,
                        "text": d.text,
                        "proposed_to": None,
                        "vote": None,
                        "uppdrag": [],
                        "reservations": [],
                        "jav": [],
                    }
                    for d in decisions[p.position]
                ],
            }
            for p in rows
        ],
        "bilagor": [],
    }


def _fill_search_vectors() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_searchentry SET vector = "
            "setweight(to_tsvector('swedish', title), 'A') || "
            "setweight(to_tsvector('swedish', body), 'B')"
        )
        # Settle the tables now, as an archive that has grown over years is settled,
        # rather than have autovacuum wake during the measurements.
        cursor.execute("VACUUM ANALYZE")


def check_against_export(meeting: Meeting) -> None:
    """The bulk-written JSON must be what the app itself exports for that meeting
    (with the status it had when justerat)."""
    import json

    from meetings.documents.protocol_json import export_protocol

    exported = export_protocol(meeting)
    exported["meeting"]["status"] = "justerat"
    if dumps(exported) != meeting.archive.content:
        stored = json.loads(meeting.archive.content)
        differing = [k for k in exported if exported[k] != stored.get(k)]
        raise AssertionError(f"bench JSON differs from export_protocol in {differing}")
