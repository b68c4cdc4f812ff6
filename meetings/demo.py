"""A fictional samordningsförbund with a year of meetings, for demos and tests.

Everything here is made up (the kommuner and the region too) but modelled on the
real protocol in shared/examples: opening items, information, decisions, proposals
from the arbetsutskott that the styrelse decides on at its next meeting, bilagor,
partial presence, a serving deputy, a vote with a reservation, jäv and a
confidential item, uppdrag followed up (some reported back by a later §), matters
(diarienummer) running through both bodies. Meetings after today are planned, with
an agenda but no numbers.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass, field, replace
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from meetings.actions import followup, justering, kallelse, publication, services
from meetings.documents import sealing
from meetings.models import (
    Attendance,
    Decision,
    FollowUp,
    Justerare,
    Meeting,
    Uppdrag,
)
from meetings.models import Paragraph as P
from meetings.rules import anslag, numbering
from members.models import Body, Membership, Organisation, Party, Person, StaffRole

User = get_user_model()

ORGANISATION_SLUG = "norralv"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY_MAIL = "django.core.mail.backends.dummy.EmailBackend"
YEAR = 2026
# The day the demo's year is told from: on it, the styrelse's protocol of 10/30 awaits
# the chair, the arbetsutskott's of 11/16 is being written, and each body's next
# meeting is called. Seeded later, the whole year moves on by whole weeks (weekdays
# kept) so that a demo seeded on any day looks as it did then (see `_shift`).
TOLD_FROM = datetime.date(2026, 11, 23)
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]  # fmt: skip
TERM = (datetime.date(2023, 1, 1), datetime.date(2026, 12, 31))

PARTIES = [
    ("Försäkringskassan", Party.Kind.FORSAKRINGSKASSAN),
    ("Arbetsförmedlingen", Party.Kind.ARBETSFORMEDLINGEN),
    ("Region Nordmark", Party.Kind.REGION),
    ("Älvby kommun", Party.Kind.KOMMUN),
    ("Forsnäs kommun", Party.Kind.KOMMUN),
    ("Sjövik kommun", Party.Kind.KOMMUN),
]

# (name, party, role in the styrelse, role in the arbetsutskott or None)
MEMBERS = [
    ("Maria Lindqvist", "Älvby kommun", "ordforande", "ordforande"),
    ("Karin Holmström", "Region Nordmark", "vice_ordforande", "ledamot"),
    ("Anders Nyström", "Försäkringskassan", "ledamot", "ledamot"),
    ("Sofia Wikström", "Arbetsförmedlingen", "ledamot", None),
    ("Per Öberg", "Forsnäs kommun", "ledamot", None),
    ("Eva Marklund", "Sjövik kommun", "ledamot", None),
    ("Johan Berg", "Älvby kommun", "ersattare", None),
    ("Erik Sandberg", "Region Nordmark", "ersattare", None),
    ("Lena Ek", "Försäkringskassan", "ersattare", None),
    ("Mats Lundgren", "Arbetsförmedlingen", "ersattare", None),
    ("Anna Forsberg", "Forsnäs kommun", "ersattare", None),
    ("Nils Håkansson", "Sjövik kommun", "ersattare", None),
]
DIRECTOR = ("Helena Strand", "Förbundschef")
SECRETARY = ("Jonas Almqvist", "Verksamhetsutvecklare, sekreterare")


@dataclass(frozen=True)
class Step:
    """How an uppdrag stood on a day after its protocol was justerat, as the
    secretary noted it in the follow-up."""

    on: datetime.date
    status: str
    note: str = ""


@dataclass(frozen=True)
class Task:
    """An uppdrag a decision gives, and what became of it."""

    text: str
    due: datetime.date | None
    assignee: str | None = DIRECTOR[0]  # one of the demo's people; None: "kansliet"
    steps: tuple[Step, ...] = ()
    key: str = ""  # the later item that reports it back names it (Item.reports)


@dataclass
class Item:
    """One agenda item of the demo year, with what was decided on it."""

    section: str
    title: str
    text: str = ""
    decision: str = ""
    kind: str = Decision.Kind.BESLUT
    bilaga: str = ""
    diarienummer: str = ""
    proposal_key: str = ""  # an AU proposal the styrelse takes up under the same key
    answers: str = ""  # the key of the AU proposal this styrelse item decides on
    uppdrag: Task | None = None
    reports: str = ""  # the key of the Task this item reports back (återrapportering)
    vote: tuple[int, int, int] | None = None
    reservation: str = ""
    jav: str = ""
    confidential_title: str = ""


INFO = "information"
BESLUT = "beslut"
DISKUSSION = "diskussion"
NOTED = Decision.Kind.LAGGES_TILL_HANDLINGARNA
FORSLAG = Decision.Kind.FORSLAG
EJ_PABORJAD = FollowUp.Status.EJ_PABORJAD
PAGAR = FollowUp.Status.PAGAR
KLAR = FollowUp.Status.KLAR


def _report(month: str) -> Item:
    return Item(
        INFO,
        "Förbundschefens rapport",
        f"Förbundschefen informerar om verksamheten sedan förra mötet och om läget i "
        f"insatserna per {month}.",
        "Informationen läggs till handlingarna.",
        NOTED,
    )


def _economy(month: str) -> Item:
    return Item(
        INFO,
        f"Ekonomisk uppföljning per {month}",
        "Förbundschefen redovisar utfallet mot budget. Kostnaderna följer i stort "
        "budgeten; insatsen Steget vidare har en lägre förbrukning än planerat.",
        "Den ekonomiska uppföljningen läggs till handlingarna.",
        NOTED,
        bilaga="Ekonomisk uppföljning",
    )


# The arbetsutskott's year: (month, day, items).
AU_YEAR = [
    (
        1,
        19,
        [
            _report("januari"),
            Item(
                BESLUT,
                "Årsredovisning 2025",
                "Förslag till årsredovisning för 2025 föredras. "
                "Resultatet visar ett överskott om 412 000 kr.",
                "Arbetsutskottet föreslår styrelsen att godkänna årsredovisningen för 2025.",
                FORSLAG,
                bilaga="Årsredovisning 2025",
                diarienummer="SF 2026/3",
                proposal_key="arsredovisning",
            ),
        ],
    ),
    (
        2,
        23,
        [
            _economy("januari"),
            Item(
                BESLUT,
                "Förlängning av insatsen Steget vidare",
                "Insatsen Steget vidare i Forsnäs kommun löper ut den 30 juni. Den lokala "
                "samverkansgruppen har ansökt om förlängning till och med 2027.",
                "Arbetsutskottet beslutar att bevilja förlängning av insatsen Steget vidare "
                "till och med den 31 december 2027 inom befintlig budgetram, och att ge "
                "förbundschefen i uppdrag att ta fram ett reviderat avtal med Forsnäs kommun "
                "och återrapportera det till styrelsen.",
                diarienummer="SF 2026/7",
                uppdrag=Task(
                    "Förbundschefen får i uppdrag att ta fram ett reviderat avtal med Forsnäs "
                    "kommun om insatsen Steget vidare och återrapportera det till styrelsen "
                    "i juni.",
                    datetime.date(2026, 6, 12),
                    steps=(
                        Step(
                            datetime.date(2026, 3, 16),
                            PAGAR,
                            "Ett utkast till reviderat avtal är skickat till Forsnäs kommun "
                            "för synpunkter.",
                        ),
                    ),
                    key="steget_avtal",
                ),
            ),
        ],
    ),
    (
        3,
        23,
        [
            _report("mars"),
            Item(
                BESLUT,
                "Policy särskilt lönetillägg vid tjänsteköp",
                "När en rekrytering görs utifrån intresse från någon av parternas personal "
                "upprättas ett tjänsteköpsavtal mellan förbundet och den part där den "
                "rekryterade är anställd. Policyn fastställer hur stort det särskilda "
                "lönetillägget ska vara.",
                "Arbetsutskottet föreslår att styrelsen beslutar att\n"
                "• när förbundschef erbjuds tjänst via tjänsteköp utgår ett särskilt "
                "lönetillägg om 3 000 kr per månad under överenskommen tid,\n"
                "• för annan personal inom insatser utgår ett särskilt lönetillägg om "
                "1 500 kr per månad under överenskommen tid.",
                FORSLAG,
                bilaga="Policy särskilt lönetillägg",
                diarienummer="SF 2026/11",
                proposal_key="lonetillagg",
            ),
            Item(
                BESLUT,
                "Tillgänglighet på förbundets webbplats",
                "En granskning av förbundets webbplats mot lagen om tillgänglighet till "
                "digital offentlig service visar brister i kontraster, rubriker och i "
                "dokument som publiceras i pdf-format.",
                "Arbetsutskottet beslutar att ge kansliet i uppdrag att åtgärda bristerna "
                "och uppdatera tillgänglighetsredogörelsen senast den 30 september.",
                diarienummer="SF 2026/9",
                uppdrag=Task(
                    "Kansliet får i uppdrag att åtgärda bristerna på webbplatsen och "
                    "uppdatera tillgänglighetsredogörelsen.",
                    datetime.date(2026, 9, 30),
                    assignee=None,
                    steps=(
                        Step(
                            datetime.date(2026, 6, 10),
                            PAGAR,
                            "Kontraster och rubriker är åtgärdade; dokumenten i pdf-format "
                            "återstår.",
                        ),
                    ),
                ),
            ),
        ],
    ),
    (
        4,
        20,
        [
            _economy("mars"),
            Item(
                BESLUT,
                "Tjänsteköp samordnare Sjövik",
                "Den lokala samverkansgruppen i Sjövik har beslutat om rekrytering av "
                "samordnare 50 % från den 1 juni. Tjänsteköpet avser ett år.",
                "Arbetsutskottet beslutar att godkänna tjänsteköpet av samordnare i Sjövik "
                "och att ge förbundschefen i uppdrag att teckna avtal om tjänsteköpet.",
                diarienummer="SF 2026/14",
                uppdrag=Task(
                    "Förbundschefen får i uppdrag att teckna avtal om tjänsteköp av "
                    "samordnare med Sjövik kommun.",
                    datetime.date(2026, 5, 29),
                    steps=(
                        Step(
                            datetime.date(2026, 5, 4),
                            PAGAR,
                            "Avtalsutkastet är skickat till Sjövik kommun.",
                        ),
                        Step(
                            datetime.date(2026, 5, 27),
                            KLAR,
                            "Avtalet är undertecknat av båda parter den 26 maj.",
                        ),
                    ),
                ),
            ),
        ],
    ),
    (
        5,
        18,
        [
            _report("maj"),
            Item(
                DISKUSSION,
                "Inför verksamhetsplanering 2027",
                "Arbetsutskottet diskuterar upplägget av idéworkshopen i september med "
                "styrelsen och de lokala samverkansgrupperna.",
                "Beslutas att förbundschefen bjuder in till idéworkshop den 3 september.",
                diarienummer="SF 2026/22",
                uppdrag=Task(
                    "Förbundschefen får i uppdrag att bjuda in styrelsen och de lokala "
                    "samverkansgrupperna till idéworkshop den 3 september.",
                    datetime.date(2026, 6, 30),
                    steps=(
                        Step(
                            datetime.date(2026, 6, 15),
                            KLAR,
                            "Inbjudan är skickad; 34 deltagare har anmält sig.",
                        ),
                    ),
                ),
            ),
        ],
    ),
    (
        8,
        24,
        [
            _economy("juli"),
            Item(
                BESLUT,
                "Verksamhetsplan och budget 2027",
                "Förslag till verksamhetsplan med budget för 2027 och plan för 2028–2029 "
                "föredras. Förslaget bygger på inspelen från idéworkshopen.",
                "Arbetsutskottet föreslår styrelsen att fastställa verksamhetsplan och "
                "budget för 2027.",
                FORSLAG,
                bilaga="Verksamhetsplan och budget 2027",
                diarienummer="SF 2026/22",
                proposal_key="verksamhetsplan",
            ),
            Item(
                BESLUT,
                "Redovisning av insatsernas resultat",
                "Arbetsutskottet diskuterar hur insatsernas resultat ska redovisas för "
                "styrelsen och parterna. Uppgifterna ur uppföljningssystemet SUS för första "
                "halvåret är ännu inte sammanställda.",
                "Arbetsutskottet beslutar att ge kansliet i uppdrag att sammanställa "
                "deltagarstatistik ur SUS för första halvåret till arbetsutskottets möte i "
                "september.",
                uppdrag=Task(
                    "Kansliet får i uppdrag att sammanställa deltagarstatistik ur SUS för "
                    "första halvåret.",
                    datetime.date(2026, 9, 21),
                    assignee=None,
                    steps=(
                        Step(
                            datetime.date(2026, 9, 14),
                            EJ_PABORJAD,
                            "Uttaget ur SUS för första halvåret är försenat; "
                            "sammanställningen börjar när det har kommit.",
                        ),
                    ),
                ),
            ),
        ],
    ),
    (
        9,
        21,
        [
            _report("september"),
            Item(
                BESLUT,
                "Personalärende: omplacering av handläggare vid kansliet",
                "Ärendet innehåller uppgifter om en enskild anställds personliga förhållanden. "
                "Förbundschefen föreslår att handläggaren Lisa Viklund omplaceras till "
                "uppdraget som processledare från den 1 november 2026.",
                "Arbetsutskottet beslutar i enlighet med förbundschefens förslag att omplacera "
                "Lisa Viklund till uppdraget som processledare.",
                bilaga="Förbundschefens förslag i personalärendet",
                confidential_title="Personalärende (sekretess enligt 39 kap. 3 § OSL)",
            ),
            Item(
                BESLUT,
                "Uppföljning av internkontrollplan 2026",
                "Kontrollen av attestordningen visar att tre fakturor under våren har "
                "attesterats av den som själv beställt varan.",
                "Arbetsutskottet beslutar att ge förbundschefen i uppdrag att se över "
                "attestordningen och återrapportera till arbetsutskottet i november.",
                diarienummer="SF 2026/25",
                uppdrag=Task(
                    "Förbundschefen får i uppdrag att se över attestordningen och "
                    "återrapportera till arbetsutskottet i november.",
                    datetime.date(2026, 11, 16),
                    steps=(
                        Step(
                            datetime.date(2026, 10, 12),
                            PAGAR,
                            "Ett förslag till reviderad attestordning är framtaget och stäms "
                            "av med revisorerna.",
                        ),
                    ),
                    key="attestordning",
                ),
            ),
        ],
    ),
    (
        10,
        19,
        [
            _economy("september"),
            Item(
                BESLUT,
                "Förlängd insatstid för en deltagare i Steget vidare",
                "Insatsen Steget vidare ansöker om att förlänga insatstiden för deltagaren "
                "[[Kim Andersson, född 1991,]] med tre månader. Deltagaren har påbörjat en "
                "arbetsträning som avslutas i mars.",
                "Arbetsutskottet beslutar att bevilja förlängd insatstid för [[Kim Andersson]] "
                "till och med den 31 mars 2027.",
                diarienummer="SF 2026/28",
            ),
            Item(
                BESLUT,
                "Internkontrollplan 2027",
                "Förslag till internkontrollplan med riskanalys för 2027 föredras.",
                "Arbetsutskottet föreslår styrelsen att fastställa internkontrollplanen för 2027.",
                FORSLAG,
                bilaga="Internkontrollplan 2027",
                diarienummer="SF 2026/27",
                proposal_key="internkontroll",
            ),
            Item(
                BESLUT,
                "Gemensam ingång för unga i Älvby",
                "Älvby kommun och Arbetsförmedlingen vill pröva en gemensam ingång för unga "
                "vuxna som varken arbetar eller studerar, med stöd av förbundet.",
                "Arbetsutskottet beslutar att ge verksamhetsutvecklaren i uppdrag att utreda "
                "förutsättningarna för en gemensam ingång och återrapportera till "
                "arbetsutskottet i december.",
                diarienummer="SF 2026/29",
                uppdrag=Task(
                    "Verksamhetsutvecklaren får i uppdrag att utreda förutsättningarna för en "
                    "gemensam ingång för unga i Älvby.",
                    datetime.date(2026, 12, 7),
                    assignee=SECRETARY[0],
                    steps=(
                        Step(
                            datetime.date(2026, 11, 9),
                            PAGAR,
                            "Samtal är förda med Älvby kommun och Arbetsförmedlingen; "
                            "underlaget sammanställs.",
                        ),
                    ),
                ),
            ),
        ],
    ),
    (
        11,
        16,
        [
            _report("november"),
            Item(
                BESLUT,
                "Sammanträdesplan 2027",
                "Förslag till sammanträdesplan för styrelse och arbetsutskott 2027.",
                "Arbetsutskottet föreslår styrelsen att fastställa sammanträdesplanen för 2027.",
                FORSLAG,
                diarienummer="SF 2026/30",
                proposal_key="sammantradesplan",
            ),
            Item(
                INFO,
                "Återrapportering: översyn av attestordningen",
                "Förbundschefen återrapporterar arbetsutskottets uppdrag från den 21 "
                "september. Attestordningen är reviderad så att ingen attesterar sina egna "
                "inköp, och kansliet har fått information om den nya ordningen.",
                "Återrapporteringen läggs till handlingarna.",
                NOTED,
                diarienummer="SF 2026/25",
                reports="attestordning",
            ),
        ],
    ),
    (12, 7, [_report("december")]),
]

STYRELSE_YEAR = [
    (2, 6, [
        _report("januari"),
        Item(BESLUT, "Årsredovisning 2025", "Arbetsutskottets förslag föredras.",
             "Styrelsen beslutar att godkänna årsredovisningen för 2025 och överlämna den "
             "till revisorerna och medlemmarna.",
             bilaga="Årsredovisning 2025", diarienummer="SF 2026/3", answers="arsredovisning",
             uppdrag=Task(
                 "Förbundschefen får i uppdrag att överlämna årsredovisningen till revisorerna "
                 "och medlemmarna och återrapportera revisorernas granskning till styrelsen.",
                 datetime.date(2026, 4, 24),
                 steps=(Step(datetime.date(2026, 2, 20), PAGAR,
                             "Årsredovisningen är överlämnad; revisorernas granskning pågår."),),
                 key="revision")),
    ]),
    (4, 24, [
        _economy("mars"),
        Item(BESLUT, "Policy särskilt lönetillägg vid tjänsteköp",
             "Arbetsutskottets förslag föredras.",
             "Styrelsen beslutar att fastställa policyn för särskilt lönetillägg vid "
             "tjänsteköp i enlighet med arbetsutskottets förslag, och att ge "
             "verksamhetsutvecklaren i uppdrag att informera parterna om den.",
             diarienummer="SF 2026/11", answers="lonetillagg",
             uppdrag=Task(
                 "Verksamhetsutvecklaren får i uppdrag att informera parternas "
                 "personalfunktioner om policyn och publicera den på förbundets webbplats.",
                 datetime.date(2026, 5, 29), assignee=SECRETARY[0],
                 steps=(Step(datetime.date(2026, 5, 19), KLAR,
                             "Policyn är skickad till parternas personalfunktioner och "
                             "publicerad på webbplatsen den 18 maj."),))),
        Item(INFO, "Återrapportering: revisorernas granskning av årsredovisning 2025",
             "Förbundschefen återrapporterar styrelsens uppdrag från den 6 februari. "
             "Revisorerna har granskat årsredovisningen för 2025 och tillstyrker i sin "
             "revisionsberättelse att styrelsen beviljas ansvarsfrihet.",
             "Återrapporteringen läggs till handlingarna.", NOTED,
             bilaga="Revisionsberättelse 2025", diarienummer="SF 2026/3", reports="revision"),
    ]),
    (6, 12, [
        _report("juni"),
        Item(BESLUT, "Medel till insatsen Unga vuxna i Sjövik",
             "Sjövik kommun ansöker om 600 000 kr för insatsen Unga vuxna 2027. Per Öberg "
             "yrkar avslag med hänvisning till förbundets budgetläge.",
             "Styrelsen beslutar att bevilja Sjövik kommun 600 000 kr för insatsen Unga "
             "vuxna 2027.",
             diarienummer="SF 2026/18", vote=(4, 1, 0), reservation="Per Öberg",
             jav="Eva Marklund",
             uppdrag=Task(
                 "Förbundschefen får i uppdrag att teckna en överenskommelse med Sjövik "
                 "kommun om insatsen Unga vuxna och redovisa insatsens planering för "
                 "styrelsen i december.",
                 datetime.date(2026, 12, 11),
                 steps=(Step(datetime.date(2026, 9, 1), PAGAR,
                             "Överenskommelsen är undertecknad; insatsen planeras tillsammans "
                             "med den lokala samverkansgruppen."),))),
        Item(INFO, "Återrapportering: reviderat avtal för insatsen Steget vidare",
             "Förbundschefen återrapporterar arbetsutskottets uppdrag från den 23 februari. "
             "Det reviderade avtalet med Forsnäs kommun gäller till och med den 31 december "
             "2027 och är undertecknat av båda parter.",
             "Styrelsen beslutar att lägga återrapporteringen till handlingarna och att ge "
             "förbundschefen i uppdrag att ta fram en plan för utvärdering av insatsen.",
             diarienummer="SF 2026/7", reports="steget_avtal",
             uppdrag=Task(
                 "Förbundschefen får i uppdrag att ta fram en plan för utvärdering av "
                 "insatsen Steget vidare till styrelsens första möte 2027.",
                 datetime.date(2027, 2, 5))),
        Item(DISKUSSION, "Samverkan med psykiatrin",
             "Styrelsen diskuterar hur samverkan med regionens psykiatri kan stärkas för "
             "deltagare i förbundets insatser.",
             "Beslutas att Karin Holmström bjuder in verksamhetschefen för vuxenpsykiatrin "
             "i Region Nordmark till styrelsens möte i oktober.",
             uppdrag=Task(
                 "Karin Holmström får i uppdrag att bjuda in verksamhetschefen för "
                 "vuxenpsykiatrin till styrelsens möte i oktober.",
                 datetime.date(2026, 10, 30), assignee="Karin Holmström")),
    ]),
    (9, 25, [
        _economy("augusti"),
        Item(BESLUT, "Verksamhetsplan och budget 2027", "Arbetsutskottets förslag föredras.",
             "Styrelsen beslutar att fastställa verksamhetsplan och budget för 2027, och att "
             "ge förbundschefen i uppdrag att ta fram en plan för att kommunicera den.",
             bilaga="Verksamhetsplan och budget 2027", diarienummer="SF 2026/22",
             answers="verksamhetsplan",
             uppdrag=Task(
                 "Förbundschefen får i uppdrag att ta fram en plan för att kommunicera "
                 "verksamhetsplanen till parterna och redovisa den för arbetsutskottet i "
                 "december.",
                 datetime.date(2026, 12, 7))),
    ]),
    (10, 30, [
        _report("oktober"),
        Item(BESLUT, "Internkontrollplan 2027", "Arbetsutskottets förslag föredras.",
             "Styrelsen beslutar att fastställa internkontrollplanen för 2027.",
             diarienummer="SF 2026/27", answers="internkontroll",
             uppdrag=Task(
                 "Förbundschefen får i uppdrag att redovisa resultatet av internkontrollen "
                 "2027 för styrelsen i december 2027.",
                 datetime.date(2027, 12, 10))),
    ]),
    (12, 11, [_report("december")]),
]  # fmt: skip


@dataclass
class _Demo:
    organisation: Organisation
    people: dict[str, Person]
    parties: dict[str, Party]
    proposals: dict[str, P] = field(default_factory=dict)
    # The uppdrag of the held meetings by their Task's key, the paragraphs reporting
    # them back (Item.reports), and the follow-up steps not yet recorded.
    uppdrag: dict[str, int] = field(default_factory=dict)
    reports: list[tuple[str, P]] = field(default_factory=list)
    steps: list[tuple[Step, int]] = field(default_factory=list)
    shift: datetime.timedelta = datetime.timedelta(0)

    def day(self, planned: datetime.date) -> datetime.date:
        """A day of the plan, moved with the demo's year."""
        return planned + self.shift

    def words(self, text: str) -> str:
        """A text of the plan with the days it names of the plan's own meetings and due
        dates ("från den 6 februari", "senast den 30 september", "2026-05-08") moved
        with the demo's year, so that it agrees with them; other days (an agreement's
        end, a workshop) stay as written."""
        if not self.shift:
            return text
        planned = _planned_days()

        def named(match: re.Match) -> str:
            day = datetime.date(YEAR, MONTHS.index(match[2]) + 1, int(match[1]))
            if day not in planned:
                return match[0]
            moved = self.day(day)
            return f"{moved.day} {MONTHS[moved.month - 1]}"

        def iso(match: re.Match) -> str:
            day = datetime.date.fromisoformat(match[0])
            return self.day(day).isoformat() if day in planned else match[0]

        text = re.sub(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b(?! \d{4})", named, text)
        return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", iso, text)


def _planned_days() -> set[datetime.date]:
    """The days of the plan's meetings and of its uppdrag's due dates."""
    days = set()
    for month, day, items in (*AU_YEAR, *STYRELSE_YEAR):
        days.add(datetime.date(YEAR, month, day))
        days |= {i.uppdrag.due for i in items if i.uppdrag and i.uppdrag.due}
    return days


def _last_planned() -> datetime.date:
    return max(datetime.date(YEAR, m, d) for m, d, _items in (*AU_YEAR, *STYRELSE_YEAR))


def _shift(today: datetime.date) -> datetime.timedelta:
    """How far the demo's year moves for a demo seeded on `today`: the whole weeks
    since TOLD_FROM (none before it, where the tests seed it on the plan's own days)."""
    return datetime.timedelta(weeks=max(0, (today - TOLD_FROM).days // 7))


def seed(
    *, password: str | None = None, today: datetime.date | None = None, justera: bool = False
) -> bool:
    """Create the demo förbund; return False (and change nothing) if it exists.

    Changes: creates one Organisation with its parties, two bodies, people,
    memberships, a year of meetings with protocols, and two login accounts
    ("admin", "sekreterare") with `password`, or unusable passwords without one.
    With `justera`, takes the held protocols through the real justering services
    (creating the development seal certificate if missing): all but the latest two
    are justerat and sealed, the second latest is out for justering, approved by
    its justerare and awaiting the chair, the latest is still being drafted; the
    uppdrag of the justerat protocols are followed up as of their days before today,
    and the återrapporteringar linked, through the follow-up services.
    """
    if Organisation.objects.filter(slug=ORGANISATION_SLUG).exists():
        return False
    today = today or timezone.localdate()
    # The demo's people are fictional: what the services would e-mail them (or the
    # secretary) goes nowhere, at once (the outbox's tasks run here, not left for a
    # worker to send a year of old notices through the installation's real server).
    with override_settings(EMAIL_BACKEND=DUMMY_MAIL, TASKS=IMMEDIATE_TASKS), transaction.atomic():
        demo = _create_organisation()
        demo.shift = _shift(today)
        styrelse, au = _create_bodies(demo)
        _create_accounts(demo, password)
        for body, year_plan in ((au, AU_YEAR), (styrelse, STYRELSE_YEAR)):
            for number, (month, day, items) in enumerate(year_plan):
                planned = demo.day(datetime.date(YEAR, month, day))
                if demo.shift:  # moved onto a holiday (juldagen): the next working day
                    planned = anslag.next_working_day(planned)
                _create_meeting(demo, body, planned, items, today, number)
        _call_next_meetings(demo)
        if justera:
            _justera_held_protocols(demo, today)
            if password:
                # The approvers' accounts, made by the justering invitations, get the
                # demo password too, so a visitor can try justering as the chair.
                for user in User.objects.filter(people__organisation=demo.organisation):
                    if not user.has_usable_password():
                        user.set_password(password)
                        user.save(update_fields=["password"])
    return True


@contextlib.contextmanager
def _as_on(day: datetime.date, today: datetime.date):
    """The services' clock set to 10.00 on `day`, so that a protocol of the demo's
    year is justerat and its anslag posted on days after its meeting, as they were,
    not all on the day `make run` runs (the anslagstavla would show a year's
    protocols posted today). A day not before `today` leaves the clock alone."""
    if day >= today:
        yield
        return
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("django.utils.timezone.localdate", return_value=day),
    ):
        yield


def _justera_held_protocols(demo: _Demo, today: datetime.date) -> None:
    sealing.create_development_certificate()
    held = list(
        Meeting.objects.filter(
            body__organisation=demo.organisation, status=Meeting.Status.GENOMFORT
        ).order_by("date", "start_time")
    )
    secretary = User.objects.get(username="sekreterare")
    for index, meeting in enumerate(held):
        # The follow-up of the year happens in its order: what the secretary noted
        # before this meeting, then the reports back linked while its protocol is
        # written, before it is sent for justering (the latest is still written).
        _follow_up(demo, before=meeting.date, today=today, by=secretary)
        sent = anslag.next_working_day(meeting.date + datetime.timedelta(days=1))
        _report_back(demo, meeting, on=sent, today=today, by=secretary)
        if meeting == held[-1]:
            break
        latest = index == len(held) - 2
        # Sent the day after the meeting, justerat within the week, posted on the
        # anslagstavla the working day after; the second latest is out now.
        justerat = anslag.next_working_day(sent + datetime.timedelta(days=3))
        posted = anslag.next_working_day(justerat + datetime.timedelta(days=1))
        with _as_on(today if latest else sent, today):
            chosen = [j.person for j in meeting.justerare.all()]
            justering.send_for_justering(
                meeting,
                justerare=chosen,
                deadline=meeting.justering_deadline,
                by=None,
                notify=False,
            )
        approvers = justering.approvers(meeting)
        if latest:  # the justerare has approved, the chair (first) has it on her start
            approvers = approvers[1:]  # page to justera
        with _as_on(today if latest else justerat, today):
            for person in approvers:
                person.refresh_from_db()
                justering.approve(
                    meeting, person, version=justering.content_hash(meeting), user=person.user
                )
        meeting.refresh_from_db()
        if meeting.is_frozen:
            with _as_on(posted, today):
                publication.publish(meeting, by=None)
    _follow_up(demo, before=today + datetime.timedelta(days=1), today=today, by=secretary)


def _follow_up(demo: _Demo, *, before: datetime.date, today: datetime.date, by) -> None:
    """Records the follow-up steps dated before `before` (and not after `today`), each
    on its day, through the service. A step of an uppdrag whose protocol the demo
    has not justerat (the latest two, however the day falls) is never recorded."""
    waiting = []
    for step, pk in sorted(demo.steps, key=lambda pair: pair[0].on):
        if step.on >= before or step.on > today:
            waiting.append((step, pk))
            continue
        uppdrag = Uppdrag.objects.select_related("decision__paragraph__meeting").get(pk=pk)
        if uppdrag.decision.paragraph.meeting.is_frozen:
            with _as_on(step.on, today):
                followup.record(
                    uppdrag, status=step.status, note=demo.words(step.note), as_of=step.on, by=by
                )
    demo.steps = waiting


def _report_back(
    demo: _Demo, meeting: Meeting, *, on: datetime.date, today: datetime.date, by
) -> None:
    """Links the meeting's återrapporteringar to the uppdrag they report back, as the
    secretary does while writing its protocol: only an uppdrag of a protocol already
    justerat can be (on another day of the demo, some cannot yet)."""
    for key, paragraph in demo.reports:
        if paragraph.meeting_id != meeting.pk or key not in demo.uppdrag:
            continue
        uppdrag = Uppdrag.objects.select_related("decision__paragraph__meeting").get(
            pk=demo.uppdrag[key]
        )
        if uppdrag.decision.paragraph.meeting.is_frozen:
            with _as_on(on, today):
                followup.report_back(uppdrag, P.objects.get(pk=paragraph.pk), by=by)


def _create_organisation() -> _Demo:
    organisation = Organisation.objects.create(
        name="Samordningsförbundet Norrälv",
        slug=ORGANISATION_SLUG,
        organisation_number="222000-0999",
        website="https://norralv.example",
        email="kansliet@norralv.example",
        phone="0920-12 34 56",
    )
    parties = {
        name: Party.objects.create(organisation=organisation, name=name, kind=kind)
        for name, kind in PARTIES
    }
    people = {
        name: Person.objects.create(organisation=organisation, name=name, email=_email(name))
        for name, *_rest in MEMBERS
    }
    for name, title in (DIRECTOR, SECRETARY):
        people[name] = Person.objects.create(
            organisation=organisation,
            name=name,
            title=title,
            email=_email(name),
            # From the series PTS keeps for fiction (070-1740605 … 070-1740699).
            phone="070-174 06 42" if (name, title) == SECRETARY else "",
        )
    return _Demo(organisation, people, parties)


def _email(name: str) -> str:
    # The reserved .example domain: the demo can never mail a real person.
    return f"{slugify(name).replace('-', '.')}@norralv.example"


def _create_bodies(demo: _Demo) -> tuple[Body, Body]:
    styrelse = Body.objects.create(
        organisation=demo.organisation, name="Styrelsen", slug="styrelse", kind=Body.Kind.STYRELSE
    )
    au = Body.objects.create(
        organisation=demo.organisation,
        name="Arbetsutskottet",
        slug="arbetsutskott",
        kind=Body.Kind.ARBETSUTSKOTT,
        prepares_for=styrelse,
    )
    for name, party, styrelse_role, au_role in MEMBERS:
        for body, role in ((styrelse, styrelse_role), (au, au_role)):
            if role:
                Membership.objects.create(
                    person=demo.people[name],
                    body=body,
                    role=role,
                    party=demo.parties[party],
                    start=TERM[0],
                    # A year moved past the mandatperiod's end keeps its members.
                    end=max(TERM[1], demo.day(_last_planned())),
                )
    return styrelse, au


def _create_accounts(demo: _Demo, password: str | None) -> None:
    for username, person, role, is_superuser in (
        ("admin", DIRECTOR[0], StaffRole.Role.ADMINISTRATOR, True),
        ("sekreterare", SECRETARY[0], StaffRole.Role.SEKRETERARE, False),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            # Named as their person, so that the page header shows who is logged in.
            first, _, last = demo.people[person].name.partition(" ")
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                is_staff=is_superuser,
                is_superuser=is_superuser,
            )
            user.set_password(password) if password else user.set_unusable_password()
            user.save()
        StaffRole.objects.get_or_create(user=user, organisation=demo.organisation, role=role)
        Person.objects.filter(pk=demo.people[person].pk).update(user=user)


def _create_meeting(demo, body, date, items, today, index) -> Meeting:
    members = list(
        Membership.objects.filter(body=body).valid_on(date).select_related("person", "party")
    )
    voting = [m for m in members if m.is_voting]
    chair = next(m.person for m in members if m.role == Membership.Role.ORDFORANDE)
    is_held = date < today
    meeting = Meeting.objects.create(
        body=body,
        date=date,
        start_time=datetime.time(9, 0)
        if body.kind == Body.Kind.ARBETSUTSKOTT
        else datetime.time(13, 0),
        end_time=datetime.time(11, 0)
        if body.kind == Body.Kind.ARBETSUTSKOTT
        else datetime.time(16, 0),
        place="Via Teams" if index % 3 == 0 else "Förbundets kansli, Storgatan 12, Älvby",
        is_remote=index % 3 == 0,
        status=Meeting.Status.GENOMFORT if is_held else Meeting.Status.PLANERAT,
        chair=chair,
        secretary=demo.people[SECRETARY[0]],
    )
    # The styrelse has deputies: one ledamot is away and a deputy serves. Every third
    # meeting another ledamot arrives late, from the fourth paragraph.
    ledamoter = [m for m in voting if m.role == Membership.Role.LEDAMOT]
    has_deputies = any(not m.is_voting for m in members)
    absent = ledamoter[-1 - index % 2] if has_deputies else None
    late = next(m for m in ledamoter if m is not absent) if index % 3 == 1 else None
    candidates = [m.person for m in voting if m.person != chair and m not in (absent, late)]
    justerare = candidates[index % len(candidates)]
    Justerare.objects.create(meeting=meeting, person=justerare)

    agenda = _opening(chair, justerare) + items + _closing()
    paragraphs = [_add_item(demo, meeting, item, is_held) for item in agenda]
    if not is_held:
        _attach_handlingar(demo, meeting, paragraphs, agenda)
        return meeting
    numbering.number_paragraphs(meeting)
    _record_attendance(demo, meeting, members, paragraphs[3], absent, late)
    for paragraph, item in zip(paragraphs, agenda, strict=True):
        _record_decision(demo, meeting, paragraph, item)
        if item.reports:
            demo.reports.append((item.reports, paragraph))
    return meeting


def _standard(section: str, written: dict[str, Item]) -> list[Item]:
    """The standard agenda's items of `section` (services.STANDARD_AGENDA: one list of
    titles for the workspace and the demo), as the demo writes them up."""
    return [written[title] for s, title in services.STANDARD_AGENDA if s == section]


def _opening(chair: Person, justerare: Person) -> list[Item]:
    return _standard(
        P.Section.INLEDNING,
        {
            services.OPENING: Item(
                "inledning",
                services.OPENING,
                f"Ordförande {chair.name} hälsar välkomna och förklarar mötet öppnat.",
            ),
            services.DAGORDNING: Item(
                "inledning",
                services.DAGORDNING,
                "",
                "Beslutas att fastställa dagordningen.",
                bilaga="Dagordning",
            ),
            services.JUSTERARE: Item(
                "inledning",
                services.JUSTERARE,
                "",
                f"Beslutas att välja {justerare.name} att tillsammans med "
                "ordföranden justera protokollet.",
            ),
        },
    )


def _closing() -> list[Item]:
    return [
        *_standard(
            P.Section.OVRIGT,
            {
                services.OVRIGA_FRAGOR: Item(
                    "ovrigt", services.OVRIGA_FRAGOR, "Inga övriga frågor anmäldes."
                )
            },
        ),
        *_standard(
            P.Section.AVSLUTNING,
            {
                services.AVSLUTNING: Item(
                    "avslutning",
                    services.AVSLUTNING,
                    "Ordföranden tackar för visat intresse och avslutar mötet.",
                )
            },
        ),
    ]


def _add_item(demo: _Demo, meeting: Meeting, item: Item, is_held: bool) -> P:
    responds_to = demo.proposals.get(item.answers) if item.answers else None
    return numbering.add_paragraph(
        meeting,
        section=item.section,
        title=item.title,
        text=demo.words(item.text) if is_held else "",
        diarienummer=item.diarienummer,
        is_confidential=bool(item.confidential_title),
        public_title=item.confidential_title,
        responds_to=responds_to,
    )


def _record_attendance(demo, meeting, members, late_from, absent, late) -> None:
    """The voting members, the deputy serving for `absent`, the other deputies, staff."""
    # As protocols list them: the chair, the vice chair, then the members.
    rank = {Membership.Role.ORDFORANDE: 0, Membership.Role.VICE_ORDFORANDE: 1}
    voting = sorted((m for m in members if m.is_voting), key=lambda m: rank.get(m.role, 2))
    deputies = {m.party_id: m for m in members if not m.is_voting}
    rows = []
    for m in voting:
        if m is absent:
            continue
        rows.append(
            Attendance(
                meeting=meeting,
                person=m.person,
                capacity=Attendance.Capacity.BESLUTANDE,
                party=m.party,
                present_from=late_from if m is late else None,
            )
        )
    if absent:
        serving = deputies[absent.party_id]
        rows.append(
            Attendance(
                meeting=meeting,
                person=serving.person,
                capacity=Attendance.Capacity.TJANSTGORANDE_ERSATTARE,
                substitutes_for=absent.person,
                party=serving.party,
            )
        )
        for deputy in deputies.values():
            if deputy is not serving:
                rows.append(
                    Attendance(
                        meeting=meeting,
                        person=deputy.person,
                        capacity=Attendance.Capacity.ERSATTARE,
                        party=deputy.party,
                    )
                )
    for name, title in (DIRECTOR, SECRETARY):
        rows.append(
            Attendance(
                meeting=meeting,
                person=demo.people[name],
                capacity=Attendance.Capacity.OVRIG,
                role_title=title,
            )
        )
    if absent:
        rows.append(
            Attendance(
                meeting=meeting,
                person=absent.person,
                capacity=Attendance.Capacity.FRANVARANDE,
                party=absent.party,
            )
        )
    for order, row in enumerate(rows):
        row.order = order
    Attendance.objects.bulk_create(rows)


def _bilaga_file(demo: _Demo, meeting: Meeting, title: str) -> bytes:
    """A one-page PDF standing in for the document, so that the demo's bilagor open."""
    from weasyprint import HTML

    html = (
        f"<html lang='sv'><body style='font-family: DejaVu Sans, sans-serif'>"
        f"<h1>{escape(title)}</h1><p>{escape(demo.organisation.name)}, "
        f"{escape(meeting.body.name.lower())} {meeting.date:%Y-%m-%d}.</p>"
        f"<p>Ett påhittat dokument i Paragrafs demo.</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _attach_handlingar(demo: _Demo, meeting: Meeting, paragraphs: list[P], agenda) -> None:
    """What the members read before a coming meeting: the documents its items will
    have as bilagor, and the förbundschef's report (not public: it names people)."""
    for paragraph, item in zip(paragraphs, agenda, strict=True):
        titles = [item.bilaga] if item.bilaga else []
        if item.title.startswith("Förbundschefens rapport"):
            titles.append("Verksamhetsrapport med deltagarärenden")
        for title in titles:
            filename = f"{slugify(title)}.pdf"
            services.attach_handling(
                paragraph,
                title=title,
                file=ContentFile(_bilaga_file(demo, meeting, title), name=filename),
                filename=filename,
                is_public=not paragraph.is_confidential and "deltagar" not in title,
            )


def _call_next_meetings(demo: _Demo) -> None:
    """Send the kallelse of each body's next meeting (while it is still to come), as
    the secretary does about two weeks before: the members get it, the public sees
    the agenda and its public handlingar."""
    secretary = User.objects.get(username="sekreterare")
    for body in demo.organisation.bodies.all():
        coming = (
            body.meetings.filter(status=Meeting.Status.PLANERAT, date__gte=timezone.localdate())
            .order_by("date", "start_time")
            .first()
        )
        if coming is not None and not kallelse.why_not_send(coming):
            kallelse.send(coming, by=secretary)


def _record_decision(demo: _Demo, meeting: Meeting, paragraph: P, item: Item) -> None:
    if item.bilaga:
        filename = f"{slugify(item.bilaga)}.pdf"
        services.attach_bilaga(
            paragraph,
            title=item.bilaga,
            file=ContentFile(_bilaga_file(demo, meeting, item.bilaga), name=filename),
            filename=filename,
            is_public=not paragraph.is_confidential,
        )
    if item.proposal_key:
        demo.proposals[item.proposal_key] = paragraph
    if not item.decision:
        return
    services.write_decisions(
        paragraph,
        [
            services.DecisionData(
                kind=item.kind,
                text=demo.words(item.decision),
                proposed_to=meeting.body.prepares_for if item.kind == FORSLAG else None,
                votes_for=item.vote[0] if item.vote else None,
                votes_against=item.vote[1] if item.vote else None,
                votes_abstaining=item.vote[2] if item.vote else None,
                vote_result=(
                    f"Omröstning begärs. Ordföranden ställer proposition på bifall mot avslag och "
                    f"finner bifall. Röstetal: {item.vote[0]} ja, {item.vote[1]} nej."
                    if item.vote
                    else ""
                ),
                uppdrag=(
                    (
                        services.TaskData(
                            demo.words(item.uppdrag.text),
                            demo.people[item.uppdrag.assignee] if item.uppdrag.assignee else None,
                            demo.day(item.uppdrag.due) if item.uppdrag.due else None,
                        ),
                    )
                    if item.uppdrag
                    else ()
                ),
                reservations=(
                    ((demo.people[item.reservation], "Till förmån för eget yrkande om avslag."),)
                    if item.reservation
                    else ()
                ),
                jav=(demo.people[item.jav],) if item.jav else (),
            )
        ],
    )
    if item.uppdrag:
        uppdrag = Uppdrag.objects.get(decision__paragraph=paragraph)
        if item.uppdrag.key:
            demo.uppdrag[item.uppdrag.key] = uppdrag.pk
        demo.steps.extend(
            (replace(step, on=demo.day(step.on)), uppdrag.pk) for step in item.uppdrag.steps
        )
