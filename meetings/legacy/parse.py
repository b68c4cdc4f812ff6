"""A legacy protocol's text read into the paragraf.protocol format.

Written for the family of layouts Swedish förbund use, not for one example: a head
of "Datum/Plats/Tid" lines (with or without colons, dates as 2023-05-31, 230531 or
31 maj 2023), attendance blocks ("Beslutande", "Beslutande deltagare", "Tjänstgörande
ersättare", "Ersättare", "Övriga deltagare", "Frånvarande"), paragraphs headed "§ 23
Title" or "§23 Title" (a title may run over two lines; "Bilaga 2" after it is a
bilaga), section headings between them (Informationsärenden, Beslutsärenden …),
unnumbered opening items, and the signature block ("Vid protokollet", "Justeras",
names in columns).

The result is `Parsed`: the document (a dict as import_protocol reads it), the
warnings, and the fields the parser was unsure of (by JSON path), which the
review marks. Nothing here touches the database."""

import datetime
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.documents.protocol_json import FORMAT_NAME, FORMAT_VERSION
from meetings.legacy import flattened, names, prose, tables

MONTHS = {
    name: number
    for number, names in enumerate(
        [("januari", "jan"), ("februari", "feb"), ("mars", "mar"), ("april", "apr"),
         ("maj",), ("juni", "jun"), ("juli", "jul"), ("augusti", "aug"),
         ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip

# "§ 1.", "§ 1/", "§ 1 –", and a body's letters before it ("SN § 5", "KSAU § 12").
NUMBERED_ITEM = re.compile(r"^([1-9]\d{0,2})[.)]\s+([A-ZÅÄÖ][^.]{2,90})$")
TABLE_RULE = re.compile(r"^\s*[+|]?(?:[-=]{3,}[+|])+[-=]*\s*$|^\s*\+[-=+]+\+?\s*$")
GROUP_IN_A_LINE = re.compile(
    r"(?<=\.)\s+(?=(?:frånvarande|ersättare|suppleanter|övriga(?: närvarande)?|anmält förhinder|"
    r"adjungerade|tjänstepersoner|närvarande)\s*:)",
    re.IGNORECASE,
)
TITLE_THEN_NUMBER = re.compile(r"^\s*(?:\d{1,3}[.)]?\s+)?([A-ZÅÄÖ][^§]*?\S)\s{3,}§\s*(\d{1,4})\s*$")
HEADING = re.compile(r"^\s*(?:[A-ZÅÄÖ]{1,6}\s+)?§\s*(\d{1,4})\s*[.:/–-]?\s*(.*?)\s*$")
BILAGA_AT_END = re.compile(r"\s*[(,]?\s*\b[Bb]ilag(?:a|or)\s+(\d{1,3})\s*\)?\s*$")
BILAGA_LIST = re.compile(r"^\s*bilagor(?:\s+till\s+protokollet)?\s*(?::\s*(.*)|\s*$)", re.I)
BILAGA_MENTION = re.compile(r"\b[Bb]ilag(?:a|or)\s+(\d{1,3})\b")
SUB_ITEM = re.compile(r"^\s*([a-zåäö]|\d{1,2})[.)]\s+\S")
BULLET = re.compile(r"^\s*[•·▪◦‣●○■□\-–*]\s+")
DOTTED = re.compile(r"^[\s.…_·-]*$")

SECTION_HEADINGS = [
    (re.compile(r"^(inledning|formalia|mötets öppnande och formalia)$"), "inledning"),
    (re.compile(r"^(informations?ärenden?|information|informationspunkter|rapporter)$"),
     "information"),
    (re.compile(r"^(beslutsärenden?|ärenden för beslut|beslutspunkter)$"), "beslut"),
    (re.compile(r"^(diskussionsärenden?|diskussionspunkter|diskussion|för diskussion)$"),
     "diskussion"),
    (re.compile(r"^(övriga frågor|övrigt)$"), "ovrigt"),
    (re.compile(r"^(avslutning|mötets avslutande)$"), "avslutning"),
]  # fmt: skip
OPENING_TITLE = re.compile(
    r"(öppnande|öppnas|\bval av (protokoll)?justerare|\bjusterare\b|justeringsperson|"
    r"dagordning|föredragningslista|närvaro|upprop|föregående protokoll|"
    r"protokoll från föregående|föregående mötes|förra (?:mötets )?protokoll|sekreterare)",
    re.IGNORECASE,
)
OTHER_TITLE = re.compile(r"^(övriga frågor|övrigt|övriga ärenden)\b", re.IGNORECASE)
CLOSING_TITLE = re.compile(
    r"(avslut|\bavslutas\b|mötet avslutas|mötets avslutning|"
    r"^nästa (?:möte|sammanträde|styrelsemöte|mötesdag))",
    re.I,
)

ATTENDANCE_BLOCKS = [
    (re.compile(r"^(tjänstgörande ersättare|tjänstgörande ersättare för ledamöter|"
                r"tjänstgörande suppleant(er)?)\b", re.I), "tjanstgorande_ersattare"),
    (re.compile(r"^(ej tjänstgörande ersättare|icke tjänstgörande ersättare|"
                r"närvarande ersättare|övriga ersättare|ersättare i övrigt|ersättare|"
                r"ej tjänstgörande suppleant(er)?|suppleant(er)?)\b", re.I), "ersattare"),
    (re.compile(r"^(beslutande( deltagare| ledamöter)?|närvarande ledamöter|ledamöter|"
                r"närvarande beslutande)\b", re.I), "beslutande"),
    (re.compile(r"^(övriga (deltagande|deltagare|närvarande)|närvarande tjänstepersoner|"
                r"tjänstepersoner|adjungerade|adjungerande|adjungerad|övriga|närvarande övriga|"
                r"dessutom närvarande|dessutom närvarade|dessutom(?=\s*:)|även närvarande|sekretariatet|sekretariat|närvarande tjänstemän|"
                r"tjänstemän|tjänsteman|inbjuden|inbjudna|gäster|gäst|från (?:kansliet|förbundet|"
                r"förvaltningen|sekretariatet))\b", re.I), "ovrig"),
    (re.compile(r"^(frånvarande( ledamöter)?|anmält förhinder|förhinder|ej närvarande)\b",
                re.I), "franvarande"),
    # Last: "Närvarande" alone heads the members (the kinds above say more).
    (re.compile(r"^(närvarande|närvaro)(?=\s*:|\s{2,}|\t|$)", re.I), "beslutande"),
]  # fmt: skip
HEAD_KEYS = re.compile(
    r"^\s*(datum|sammanträdesdatum|mötesdatum|dag|tid|tidpunkt|klockan|plats|lokal|"
    r"mötesplats|plats och tid|utses att justera|justerare|justeringens|justering|"
    r"sekreterare|ordförande|paragrafer|organ|sammanträde|protokoll)\b",
    re.IGNORECASE,
)
SIGNATURE_LABEL = re.compile(
    r"\b(vid protokollet|sekreterare|protokollförare|justeras|justerare|justerande|"
    r"ordförande|mötesordförande|beslutande|underskrifter|ordf\.)",
    re.IGNORECASE,
)
# (Not "styrelsens ordförande", "revisionens ordförande": another's chair.)
CHAIR_MARK = re.compile(r"[,(]?\s*(?<![a-zåäö]s )\b(ordförande|ordf\.?)\s*\)?", re.IGNORECASE)
VICE_MARK = re.compile(
    r"[,(]?\s*\b((?:\d:e\s+)?(?:vice ordförande|vice ordf\.?|v\.?\s*ordf\.?))\s*\)?", re.I
)
# "Karin Ek (ordf.), Lars Norén (v. ordf.), Henry Ek samt suppleanten Erik Wallin":
# people listed on one line, and what a list's item may say before the name.
LIST_SEPARATOR = re.compile(r"\s*;\s*|,\s*(?![^()]*\))|\s+(?:samt|och)\s+(?![^()]*\))")
# What names an organisation, not a person ("Norrviks kommun", "Försäkringskassan").
ORGANISATION_WORD = re.compile(
    r"\b(kommun|kommuns|region|landsting\w*|försäkringskassan|arbetsförmedlingen|kansli\w*|"
    r"förbund\w*|nämnd\w*|stad|förvaltning\w*)\b",
    re.IGNORECASE,
)
NOT_A_PERSON = re.compile(r"\b(Region|Landsting\w*|Kommun|Stad|Förbundet|Samordningsförbundet)\b")
LISTED_PERSON = re.compile(
    r"^(?:(suppleanten|suppleanterna|ersättaren|ledamoten|adjungerade)\s+)?"
    r"[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2}(?:\s*\([^)]*\))?"
    r"(?:,?\s+(?:från|fr\.\s*o\.\s*m\.|t\.\s*o\.\s*m\.|till)\s*§\s*\d+|,?\s*§§?\s*\d+(?:\s*[–-]\s*\d+)?)?$"
)
PARTIAL = re.compile(
    r"[,(]?\s*(?:(from|från|fr\.?\s*o\.?\s*m\.?|från och med|kom under|kom till|kom vid|"
    r"anlände under|anlände till)\s*(?:§§?|punkt)\s*(\d+)|"
    r"(t\.?\s*o\.?\s*m\.?|till och med|till|lämnade efter|gick efter)\s*(?:§§?|punkt)\s*(\d+)|"
    r"§§?\s*(\d+)\s*[–-]\s*(?:§\s*)?(\d+)|"
    r"(?:§|under punkt|vid punkt)\s*(\d+)(?!\s*[–-]))\s*\)?",  # one § only
    re.IGNORECASE,
)
# A role in a board where a party would stand ("Anna Ek, kassör").
ROLE_WORD = re.compile(
    r"^(vice\s+|1:e\s+vice\s+|2:e\s+vice\s+)?[\wåäö]*(ordförande|kassör|sekreterare|"
    r"ledamot|revisor|suppleant|protokollförare|ordf\.?|sekr\.?)(?!\w)",
    re.IGNORECASE,
)
# "ej § 91-97", "ej närvarande § 5": the § someone was NOT present at.
ABSENT_AT = re.compile(
    r"[,(]?\s*\b(?:ej|inte)(?:\s+närvarande)?\s*(?:vid\s*)?§§?\s*(\d+)(?:\s*[–-]\s*(?:§\s*)?(\d+))?\s*\)?",
    re.IGNORECASE,
)
# "mötesordf. § 74-88": who chaired those §, not when they were present.
CHAIRED_AT = re.compile(
    r"[,(]?\s*\b(?:mötesordf\.?|mötesordförande|ordf\.)\s*§§?\s*\d+(?:\s*[–-]\s*(?:§\s*)?\d+)?\s*\)?",
    re.IGNORECASE,
)
# The marks of a presence table's columns: "X", "x", "m x" (mötet, närvarande), "Tjg".
PRESENCE_MARK = re.compile(r"(?<!\S)(?:[xX]|m\s+[xX]|[Tt]jg\.?)(?!\S)")
NAME = r"([A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2})"
CHAIR_LABEL_IN_A_LIST = re.compile(
    r"^((?:\d:e\s+)?(?:vice\s+)?ordförande)\s{2,}([A-ZÅÄÖÉ][\w-]+\s+[A-ZÅÄÖÉ].*)$", re.I
)
SERVES_FOR = re.compile(
    r"[,(]?\s*\b(?:tjänstgör(?:ande)?(?: ersättare)? för|ersättare för|ersätter|ers\. för|"
    r"i stället för)\s+" + NAME + r"\s*\)?",
)
SERVES_FOR_SHORT = re.compile(r"[,(]?\s*\bför\s+" + NAME + r"\s*\)?")
POLITICAL = re.compile(
    # (Lower case in older protocols: "(s)", "(fp)", "(vpk)".)
    r"\s*\((S|M|C|V|L|KD|MP|SD|FP|VPK|NYD|Kd|Mp|Sd|Fp|s|m|c|v|fp|kd|mp|sd|vpk|nyd|-)\)\s*"
)
PARTY_WORD = re.compile(
    r"^(Försäkringskassan|Arbetsförmedlingen|Region|Regionen|Landstinget|Västra|"
    r"Samordningsförbundet|[A-ZÅÄÖ][\wåäöé-]*(?:kommun|kommuns|stad|regionen))$"
)
PLACE_BEFORE = re.compile(r"^(kommun|stad|kommuns|municipality)$", re.IGNORECASE)
REMOTE_PERSON = re.compile(
    r",?\s*\(?\b(?:deltar|deltog|närvarande|närvarade)\s+(?:på\s+distans|digitalt|via\s+\w+)\)?",
    re.IGNORECASE,
)
REMOTE = re.compile(r"\b(teams|zoom|skype|digitalt|digital(a|t)? möte|distans|videolänk|per telefon|"
                    r"videomöte|via länk|webbmöte|på länk)\b", re.IGNORECASE)  # fmt: skip

# Who decides, in the protocols of förbund, municipalities and associations.
DECIDING = (
    r"arbetsutskottet|styrelsen|förbundsstyrelsen|beredningsgruppen|ägarsamrådet|mötet|"
    r"utskottet|au|samordningsförbundet|förbundet|nämnden|kommunstyrelsen|"
    r"kommunfullmäktige|fullmäktige|direktionen|förbundsdirektionen|föreningen|årsmötet|"
    r"stämman|föreningsstämman|bolagsstämman|årsstämman|kyrkorådet|[\wåäö]*rådet|"
    r"(?:[\wåäö]+-\s+och\s+)?[\wåäö-]*nämnden|kommunstyrelsens arbetsutskott|vi"
)
# "… föredras. Styrelsen beslutar att …": the decision inside a block of text.
DECISION_INSIDE = re.compile(
    rf"(?<=[.!?])\s+((?:{DECIDING})\s+(?:beslutar|beslutade|beslöt)\b.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "… blev hög, 6 212 kr. Redovisningen lades till handlingarna.": a block's last
# sentence that is a decision said in the passive.
DECIDED_LAST = re.compile(
    r"(?<=[.!?])\s+([A-ZÅÄÖ][^.]*\b(?:lades till handlingarna|läggs till handlingarna|"
    r"godkändes|fastställdes|beslutades|beslöts|antogs|beviljades|fick i uppdrag|"
    r"noterades|antecknades)\b[^.]*\.)\s*$",
)
# A § whose heading is its whole content: "§ 2/ Till justerare valdes Henry Ek".
DECIDED_IN_TITLE = re.compile(
    r"\b(valdes|utsågs|beslutades|beslöts|godkändes|fastställdes|antogs|beviljades|"
    r"lades till handlingarna)\b",
    re.IGNORECASE,
)
# The att-clauses of a decision: "att lägga informationen till handlingarna".
ATT_CLAUSE = re.compile(
    r"^\s*att\s+(?:lägga|godkänna|fastställa|anta|uppdra|bevilja|avslå|notera|välja|utse|"
    r"överlämna|hänskjuta|återremittera|avsätta|ge)\b",
    re.IGNORECASE,
)
DECISION_START = re.compile(
    r"^\s*(?:[•\-–]\s*)?("
    r"beslut\s*[:.]|beslutas|beslutades|beslöts|det beslutas|"
    rf"(?:{DECIDING})\s+(?:beslutar|beslutade|beslöt|föreslår|uppdrar|uppdrog|ger|gav|"
    r"föreslog|rekommenderar|noterar|godkänner|fastställer|tackar för informationen|"
    r"lägger|utser|väljer|utsåg|valde)|"
    r"(?:informationen|rapporten|redovisningen|ärendet|anteckningarna|protokollet)\s+"
    r"(?:läggs|lades|noteras)|"
    r"(?:arbetsutskottets|styrelsens|au:s|mötets)\s+beslut\b|"
    r"[\wåäö-]+s\s+beslut\s*:|"  # "Kommunstyrelsens beslut: Dagordningen godkänns."
    r"föreslås|noteras|godkänns|fastställs|läggs till handlingarna"
    r")",
    re.IGNORECASE,
)
TEXT_LABEL = re.compile(
    r"^\s*(ärendebeskrivning|ärendet|bakgrund|beskrivning av ärendet|sammanfattning|"
    r"beslutsunderlag|yrkanden?|propositionsordning|proposition|omröstning|jäv)\s*:?\s*$",
    re.IGNORECASE,
)
PROPOSED_LABEL = re.compile(r"^\s*(förslag till beslut|beslutsförslag)\s*:?\s*$", re.I)
# "Beslut", "Arbetsutskottets beslut", "Förslag till beslut" on a line of their own.
DECISION_LABEL = re.compile(
    r"^\s*((?:(?:[\wåäö-]+\s+och\s+|[a-zåäö-]+a\s+)?[\wåäö:-]+s\s+)?beslut|förslag till beslut|"
    r"beslutsförslag)"
    r"\s*:?\s*$",
    re.I,
)
FILED = re.compile(r"(lägg(s|a|er|es)?|lades)\s+(?:[\wåäö-]+\s+){0,6}?till\s+"
                   r"handlingarna|tackar för (informationen|redovisningen|rapporten)|"
                   r"^(informationen|rapporten|redovisningen|anmälningarna)\s+"
                   r"(noteras|antecknas|noterades|antecknades)"
                   r"\.?$",
                   re.IGNORECASE)  # fmt: skip
# One short sentence that is the decision: "Dagordningen godkänns.", "Camilla Rask
# väljs att justera protokollet.", "… läggs till handlingarna."
PASSIVE_DECISION = re.compile(r"\b(väljs|utses|godkänns|fastställs|beviljas|antas|noteras|"
                              r"valdes|utsågs|beslöts|beslutades|antogs|beviljades|"
                              r"läggs till handlingarna|godkändes|fastställdes)\b", re.I)  # fmt: skip
STATEMENT = re.compile(r"^\s*(?:([A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)*)\s+(?:\([^)]*\)\s*)?"
                       r"(reserverar sig|reserverade sig|anmäler reservation|anmälde reservation|"
                       r"anmäler jäv|anmälde jäv|har anmält jäv)|"
                       r"(reservation(?:er)?|jäv|protokollsanteckning)\s*(?::|$))",
                       re.UNICODE | re.IGNORECASE)  # fmt: skip
# What is said between the decisions and is neither text nor decision: someone
# leaving or arriving, an adjournment, a day's heading ("DAG 2 – ONSDAG 27 JANUARI").
NOTE = re.compile(
    r"^\s*(?:[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+(?:\s+\([^)]*\))?\s+(?:lämnar|lämnade|anländer|"
    r"anlände|ansluter|anslöt|återkommer|återkom|deltar inte|deltog inte)\b|"
    r"(?i:sammanträdet|mötet)\s+(?i:ajourneras|ajournerades|återupptas|återupptogs)\b|"
    r"DAG\s+\d\b)"
)
# A body a proposal goes to: "styrelsen", "kommunfullmäktige", "förbundsmötet" …
TO_A_BODY = (r"(?:förbunds)?(?:styrelsen|ägarsamrådet|medlemssamrådet)|[\wåäö-]*(?:styrelsen|"
             r"fullmäktige|mötet|nämnden|samrådet|stämman|stämma|direktionen|utskottet)")  # fmt: skip
PROPOSAL = re.compile(
    r"\b(föreslå|föreslår|föreslog|rekommendera|rekommenderar|hemställa|hemställer)\s+"
    rf"(att\s+)?()({TO_A_BODY})\b",
    re.IGNORECASE,
)
# "Arbetsutskottets förslag till kommunstyrelsen": what follows is a proposal to it.
PROPOSAL_LABEL = re.compile(
    rf"^\s*(?:(?:[\wåäö-]+\s+och\s+)?[\wåäö:-]+s\s+)?förslag\s+till\s+({TO_A_BODY})\s*:?\s*$",
    re.IGNORECASE,
)
UPPDRAG = re.compile(
    r"\b(?:ge|ger|gav|uppdra åt|uppdrar åt|uppdrog åt)\s+(.+?)\s+(?:i\s+)?(?:uppdrag(?:et)?\s+)?"
    r"att\s+(.+?)(?:[.;]|$)|"
    r"\b(\S+(?:\s+\S+)?)\s+får\s+i\s+uppdrag\s+att\s+(.+?)(?:[.;]|$)|"
    r"\b([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)\s+ansvarar\s+för\s+att\s+(.+?)"
    r"(?:[.;]|\s+och\s+[A-ZÅÄÖ]|$)",
    re.IGNORECASE,
)
# "senast 2021-03-16", "till styrelsens möte den 16 mars 2021", "till sammanträdet 2017-10-12".
RESPONSIBLE = re.compile(r"^\s*(?:ansvarig|ansvariga|ansvar)\s*:\s*(.+?)\s*\.?\s*$", re.I)
DUE = re.compile(
    r"\b(?:senast|till|före|innan|vid(?=\s+[\wåäö]+s\s+(?:möte|sammanträde)))\s+"
    r"(?:[\wåäö]+s\s+(?:möte|sammanträde)\s+|sammanträdet\s+|"
    r"mötet\s+)?(?:den\s+)?(\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-zåäö]+\s+\d{4})",
    re.IGNORECASE,
)
# "Med 4 röster för bifall och 1 röst för avslag (och 1 som avstår) …"
VOTE = re.compile(r"[Mm]ed (\d+) röst(?:er)? för \w+ och (\d+) röst(?:er)? för \w+"
                  r"(?:[^.]*?(\d+) (?:avstår|avstod|ledamöter avstår))?[^.]*\.?")  # fmt: skip
JAV = re.compile(
    r"([A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)*)(?:\s+\([^)]*\))?\s+(?:anmäler|anmälde|har anmält)\s+jäv"
)
# Where the decision is sent ("Expedieras till:", "Beslutet skickas till"): a list of
# receivers after the decision, neither the decision nor the handling's text.
DISTRIBUTION = re.compile(
    r"^\s*(expedieras|expediering|expedierat|beslutet\s+(?:ska\s+)?(?:skickas|expedieras|"
    r"sänds|delges)|(?:protokolls)?utdrag\s+(?:till|skickas|expedieras)|kopia\s+till|"
    r"sändlista|för\s+kännedom\s+till|delges)\b",
    re.IGNORECASE,
)

# "Arbetsutskottet 2021-09-27 § 37", "AU § 37", "beredningsgruppens förslag, § 12": the
# paragraph of another body that this one answers.
REFERENCE = re.compile(
    r"\b(arbetsutskott\w*|AU(?::s)?|beredningsgrupp\w*)\b[^§\n]{0,40}?"
    r"(?:(\d{4})-\d{2}-\d{2}[^§\n]{0,5})?§\s*(\d{1,4})",
    re.IGNORECASE,
)
# "Styrelsen gav 2022-03-24 § 18 arbetsutskottet i uppdrag …" in the arbetsutskott's
# protocol: the deciding body's § it answers (which body of that kind: the review's).
GIVEN_BY = re.compile(
    r"\b(styrelsen|förbundsstyrelsen|direktionen|förbundsdirektionen)\s+(?:gav|har gett|"
    r"uppdrog|beslutade)\b[^§\n]{0,30}?(\d{4})-\d{2}-\d{2}[^§\n]{0,5}§\s*(\d{1,4})",
    re.IGNORECASE,
)

# "Kommunstyrelsen har behandlat ärendet 2024-04-08, § 58", "Socialnämndens beslut
# 2019-03-12 § 41": the § of another body of the organisation that prepared it.
PREPARED_BY = re.compile(
    r"\b([A-ZÅÄÖ][\wåäö-]*(?:styrelsen|nämnden|utskottet|direktionen|beredningen)|"
    r"[A-ZÅÄÖ][\wåäö-]*fullmäktige)s?\s+(?:har\s+)?(?:behandla\w*|beslut\w*|föreslag\w*|"
    r"föreslår|yttra\w*|protokoll|har\s+den)\b[^§\n]{0,40}?(?:(\d{4})-\d{2}-\d{2}|"
    r"\d{1,2}\s+[a-zåäö]+\s+(\d{4}))[^§\n]{0,5}§\s*(\d{1,4})"
)

BODY_NAMES = [
    (re.compile(r"\barbetsutskott(et|ets)?\b|\bAU\b", re.I), "arbetsutskott", "Arbetsutskottet"),
    (re.compile(r"\bberedningsgrupp(en|ens)?\b", re.I), "beredningsgrupp", "Beredningsgruppen"),
    (re.compile(r"\bägarsamråd(et|ets)?\b|\bmedlemssamråd(et)?\b", re.I), "agarsamrad",
     "Ägarsamrådet"),
    (re.compile(r"\b(förbunds)?styrelse(n|ns|möte|sammanträde)?\b", re.I), "styrelse", "Styrelsen"),
]  # fmt: skip
ORGANISATION = re.compile(
    r"\b((?:Samordningsförbundet|Finsam)(?:[ \t]+(?:i[ \t]+)?[A-ZÅÄÖ][\wåäöéÅÄÖ-]*){1,3})",
    re.IGNORECASE,
)
NOT_IN_A_NAME = re.compile(r"^(protokoll|styrelsen?|arbetsutskott\w*|beredningsgrupp\w*|datum|"
                           r"sammanträde\w*|kallelse|ägarsamråd\w*)$", re.IGNORECASE)  # fmt: skip


@dataclass
class Parsed:
    document: dict
    warnings: list[str] = field(default_factory=list)
    unsure: set[str] = field(default_factory=set)
    source_text: str = ""


# --- Small readers --------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def read_date(text: str) -> datetime.date | None:
    """The first date in `text`: 2023-05-31, 2023.05.31, 230531 (after Datum), 31 maj
    2023, 31/5 2023."""
    patterns = [
        (r"\b(20\d{2}|19\d{2})[-./](\d{1,2})[-./](\d{1,2})\b", lambda m: (m[1], m[2], m[3])),
        # A meeting of two days, "26-27 januari 2021": it starts on the first.
        (
            r"\b(\d{1,2})\s*[-–]\s*\d{1,2}\s+([a-zåäö]+)\.?\s+(\d{4})\b",
            lambda m: (m[3], MONTHS.get(m[2].lower()), m[1]),
        ),
        (
            r"\b(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})\b",
            lambda m: (m[3], MONTHS.get(m[2].lower()), m[1]),
        ),
        (r"\b(\d{1,2})/(\d{1,2})\s+(\d{4})\b", lambda m: (m[3], m[2], m[1])),
        # "12/9-19": the day, the month and the year's last two digits.
        (
            r"\b(\d{1,2})/(\d{1,2})\s*[-–]\s*(\d{2})\b",
            lambda m: (("19" if int(m[3]) > 70 else "20") + m[3], m[2], m[1]),
        ),
        (r"\b(\d{2})(\d{2})(\d{2})\b", lambda m: ("20" + m[1], m[2], m[3])),
    ]
    for pattern, parts in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            y, mo, d = parts(m)
            try:
                return datetime.date(int(y), int(mo), int(d))
            except (TypeError, ValueError):
                continue
    return None


TIME = re.compile(r"\b(?:kl\.?\s*|klockan\s*)?([01]?\d|2[0-3])[.:](\d{2})\b")


def read_times(text: str) -> tuple[str | None, str | None]:
    times = [f"{int(h):02d}:{m}" for h, m in TIME.findall(text)]
    return (times[0] if times else None, times[1] if len(times) > 1 else None)


WEEKDAY = re.compile(r"^(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(en)?\b", re.I)


def _place_among(*lines: str) -> str:
    """ "Onsdag 15 juni 2022, kl. 09.00–12.00, Hotell Gävle, sal Gävleborg": the parts
    that are neither a day nor a time, over the value's lines; "kl. 13.30–15.45 på
    förbundets kansli": what follows "på"; "Erik Wahlberg (M) deltar på distans": no
    place."""
    kept = []
    for value in lines:
        value = re.split(r"(?<=\w)\.\s+(?=[A-ZÅÄÖ])", value.strip())[0].rstrip(".")
        for part in (p.strip() for p in value.split(",")):
            if not part or REMOTE_PERSON.search(part) or re.match(r"^ajourn", part, re.I):
                continue
            if read_date(part) or TIME.search(part) or WEEKDAY.match(part):
                at = re.search(r"\s(?:på|i)\s+(\S.*)$", part)
                if at is None or TIME.search(at[1]) or read_date(at[1]):
                    continue
                part = at[1][0].upper() + at[1][1:]
            kept.append(part)
    return ", ".join(kept)


def _value_lines(head: list[str], index: int, value: str) -> list[str]:
    """A label's value with the lines that go on below it: in the value's column, or,
    for a label alone on its line, the lines under it up to a blank line or a label."""
    line = head[index]
    column = line.find(value) if value else 0
    out = [value] if value else []
    for below in head[index + 1 : index + 4]:
        indent = len(below) - len(below.lstrip())
        if (
            not below.strip()
            or HEAD_KEYS.match(below.strip())
            or (_label_like(below.strip()) and "," not in below)
            or (value and indent < column - 1)
        ):
            break
        out.append(below.strip())
    return out


# Lines of a head that give another day than the meeting's.
NOT_THE_MEETINGS_DAY = re.compile(
    r"justering|justerad|anslag|uppsatt|nedtag|överklag|sista dag|bevis|protokollet förvaras",
    re.IGNORECASE,
)


def _next_line(lines: list[str], index: int) -> str:
    return next((line for line in lines[index + 1 :] if line.strip()), "")


def _label_value(line: str, *labels: str) -> str | None:
    m = re.match(r"^\s*(?:" + "|".join(labels) + r")\s*[:.]?\s*(.*)$", line, re.IGNORECASE)
    return m[1].strip() if m else None


# --- The parser -----------------------------------------------------------------


# A page's head or foot that copying out of a PDF or Word leaves in the text: the
# line that ends with its page number ("… PROTOKOLL Styrelsen 2017-06-15  Sida 2 (3)",
# "Sida 2 av 4") and the initials box ("Justerandes sign").
PAGE_MARK = re.compile(
    r"(\bsida\s+\d+\s*(\(\s*\d+\s*\)|(av|/)\s*\d+)?\s*$)|"
    r"(protokoll\b.*\s\d{1,3}\s*\(\s*\d{1,3}\s*\))|"  # "SAMMANTRÄDESPROTOKOLL 2(4)"
    r"(^\s*(sammanträdesdatum|datum|sida)?\s*\d{1,3}\s*\(\s*\d{1,3}\s*\)\s*$)|"  # "… 3 (3)"
    r"(^(?=.{0,100}$)\s*\S.*\s(sammanträdesdatum|\d{4}-\d{2}-\d{2})\s+\d{1,3}\s*\(\s*\d{1,3}\s*\)\s*$)|"
    # A page's foot: "Samordningsförbundet X | Org.nr 222000-4417 | www.x.se"
    r"([|·].*\borg\.?\s*nr\b|\borg\.?\s*nr\b.*[|·]|[|·]\s*www\.)|"
    r"^\s*(justerandes\s+sign(atur)?|justerarnas\s+sign(atur)?|utdragsbestyrkande)\b|"
    r"^\s*(ordf|just|sekr)\.?\s*_{3,}|"  # a page foot's initials: "Ordf. ____ Just. ____"
    r"^\s*-\s*\d{1,3}\s*-\s*$",  # a typewritten page's number: "- 2 -"
    re.IGNORECASE,
)


TABLE_PLACE = "\x00table"  # where a table stood, while the lines are made


def _page_line(line: str) -> bool:
    """ "VINGÅKERS KOMMUN      3 (16)", "Styrelsen 2010-04-22   4 (4)": a page's head or
    foot, its number out of the pages' last."""
    m = re.match(r"^(.{2,90}?)\s{2,}(\d{1,3})\s*\(\s*(\d{1,3})\s*\)\s*$", line)
    if not m or int(m[2]) > int(m[3]):
        return False
    before = m[1].strip()
    return not re.search(r"[a-zåäö]", before) or bool(
        re.search(r"protokoll|sida|sammanträdesdatum|\d{4}-\d{2}-\d{2}", before, re.I)
    )


class _Reader:
    def __init__(self, text: str, *, organisation=None, body=None):
        self.text = text
        raw = text.split("\n")
        # A page's head repeats the first page's ("Samordningsförbundet X   PROTOKOLL",
        # "Socialnämnden   2011-02-09"): later, it is no text of the § it falls in.
        head = [squash(line) for line in raw if line.strip() and not HEADING.match(line)][:4]
        repeated = {line for line in head if sum(squash(r) == line for r in raw) > 1}
        lines = raw[:6] + [line for line in raw[6:] if squash(line) not in repeated]
        self.lines = [line for line in lines if not PAGE_MARK.search(line) and not _page_line(line)]
        # A page's foot printed on every page ("Brf X – Protokoll styrelsemöte 2023-05-16"):
        # a line that recurs naming the protocol and a date, no sentence, is no text.
        counted = Counter(squash(line) for line in self.lines if len(line.strip()) >= 20)
        self.lines = [
            line
            for line in self.lines
            if not (
                counted.get(squash(line), 0) >= 2
                # (or "Förbundsstyrelsen 1994-09-22--23": a body's name and the day alone)
                and re.search(
                    r"protokoll|^\s*[A-ZÅÄÖ][\wåäö -]{3,40}\s+\d{4}-\d{2}-\d{2}(?:-{1,2}\d{2})?\s*$",
                    line,
                    re.I,
                )
                and re.search(r"\d{4}-\d{2}-\d{2}", line)
                and not line.rstrip().endswith((".", ":"))
                and not HEADING.match(line)
            )
        ]
        # A table drawn with characters ("+-----+-----+", "| Plats | Kansliet |"): its
        # rules go, and its bars become the wide gaps that part columns elsewhere.
        self.lines = [
            line.replace("|", " ") if "|" in line else line
            for line in self.lines
            if not TABLE_RULE.match(line)
        ]
        # "1 § Mötet öppnas", "12 § Kassan": the number before its § (three times or
        # more at a line's start), and "under 10 §", "efter 6 §" in the text.
        if sum(bool(re.match(r"^\s*\d{1,3}\s*§\s+\S", line)) for line in self.lines) >= 3:
            self.lines = [
                re.sub(r"\b(\d{1,3})\s*§(?=\s|[.,]|$)", r"§ \1", line) for line in self.lines
            ]
        # "Dir § 12", "Ksau § 112": a body's word before every § number (three times or
        # more, at a line's start) is the number's, not a word of the text.
        prefixes = Counter(
            m[1]
            for line in self.lines
            if (m := re.match(r"^\s*([A-ZÅÄÖ][a-zåäöA-ZÅÄÖ]{1,5})\s+§\s*\d", line))
        )
        for word in (w for w, n in prefixes.items() if n >= 3):
            # (Everywhere: "Helena Bredberg, från AU § 4", "se AU § 3".)
            self.lines = [re.sub(rf"\b{word}\s+(?=§)", "", line) for line in self.lines]
        # Attendance written as running prose ("Närvarande: ledamöterna X (s), ordförande,
        # Y (s) …") as the list it is, in the head (prose.py).
        first = next((i for i, line in enumerate(self.lines) if HEADING.match(line)), 0)
        self.lines = prose.unfold(self.lines[:first]) + self.lines[first:]
        # A head's labels all first, then their values (a PDF copied without its
        # layout): each label beside its value again (flattened.py).
        first = next((i for i, line in enumerate(self.lines) if HEADING.match(line)), 0)
        self.lines = flattened.unfold(self.lines[:first]) + self.lines[first:]
        # Attendance printed as a table is read by its columns, and leaves the text
        # (before a row's "§ 28" can be taken for a number set right of its title).
        self.lines, self.tables, places = tables.take_tables(tables.align_tabs(self.lines))
        for place in places:
            self.lines[place] = TABLE_PLACE  # found again below, where the lines moved
        # "Val av justerare          § 19": the number set to the right of its title.
        self.lines = [TITLE_THEN_NUMBER.sub(r"§ \2 \1", line) for line in self.lines]
        # "… och Leila Nasser. Frånvarande: Magnus Berg.": the next group on a line of its own.
        self.lines = [part for line in self.lines for part in GROUP_IN_A_LINE.split(line)]
        # "1. Mötets öppnande", "2. Föregående protokoll": items numbered without §,
        # when no § stands anywhere, are read as the §; marked (the numbers may not be
        # the body's running § numbers).
        self.numbered_items = False
        if not any(HEADING.match(line) for line in self.lines):
            numbered = [
                (i, m) for i, line in enumerate(self.lines) if (m := NUMBERED_ITEM.match(line))
            ]
            numbers = [int(m[1]) for _, m in numbered]
            if len(numbers) >= 3 and numbers == sorted(set(numbers)):
                for i, m in numbered:
                    self.lines[i] = f"§ {m[1]} {m[2]}"
                self.numbered_items = True
        self.table_places = [i for i, line in enumerate(self.lines) if line == TABLE_PLACE]
        self.lines = ["" if line == TABLE_PLACE else line for line in self.lines]
        self.double = _double_spaced(self.lines)
        self.organisation = organisation
        self.body = body
        self.warnings: list[str] = []
        self.unsure: set[str] = set()
        self.people: list[dict] = []  # attendance rows
        self.bilaga_titles: dict[int, str] = {}  # from a list of the bilagor
        self.group_party: str | None = None  # the party a group heading names
        self.head_facts: dict = {}

    # The document's regions: head (before the first paragraph), paragraphs, and the
    # signatures (from "Vid protokollet" or "Justeras" after the last paragraph).
    def regions(self) -> tuple[list[str], list[str], list[str]]:
        first = next((i for i, line in enumerate(self.lines) if HEADING.match(line)), None)
        if first is None:
            raise ValueError(_("No paragraph (§ and a number) was found: is this a protocol?"))
        last = max(i for i, line in enumerate(self.lines) if HEADING.match(line))
        end = len(self.lines)
        for i in range(last + 1, len(self.lines)):
            line = self.lines[i]
            labels_only = line.strip() and not SIGNATURE_LABEL.sub("", line).strip(" :\t")
            # "Sekreterare ........................ Anneli Stråhle": a line to sign on.
            signing = re.match(r"^\s*\w[\w ]{2,25}?\s*[.…_]{5,}", line) and SIGNATURE_LABEL.search(
                line.split(".")[0]
            )
            if (
                labels_only
                or signing
                or re.match(
                    r"^\s*(vid protokollet|justeras|underskrifter|"
                    r"protokollet justeras|justerat|anslag\s*/\s*bevis|anslagsbevis|bevis\s*$|"
                    r"protokollet är justerat)",
                    line,
                    re.I,
                )
            ):
                end = i
                break
        return self.lines[:first], self.lines[first:end], self.lines[end:]

    # -- head --
    def read_head(self, head: list[str]) -> None:
        # The meeting's day is read from its own fields, never from a justering's or
        # an anslag's ("Justeringens plats och tid 2006-05-29" above the
        # "Sammanträdesdatum" of a municipal head), and any disagreement is marked.
        whole = "\n".join(line for line in head if not NOT_THE_MEETINGS_DAY.search(line))
        facts = self.head_facts
        block: str | None = None
        opening: list[str] = []
        meeting_days: list[datetime.date] = []
        joined: set[int] = set()  # lines that went on a line before
        for index, raw in enumerate(head):
            if index in self.table_places:
                self._table_people(self.tables[self.table_places.index(index)])
                block = None
                continue
            if index in joined:
                continue
            if index + 1 < len(head) and index + 1 not in self.table_places:
                raw, head[index + 1] = self._label_over_two_lines(raw, head[index + 1])
            # A line to sign on ("Sekreterare  ______") is no value.
            line = re.sub(r"[._…·]{3,}", " ", raw).strip()
            if not line:
                continue
            following = head[index + 1] if index + 1 < len(head) else ""
            if index + 1 not in self.table_places and (
                wrapped := self._wrapped(raw, following, block)
            ):
                # "Birgit Hagström, Landstinget i Jönköpings län," / "vice ordförande":
                # a row that wrapped in its column goes on.
                line = re.sub(r"[._…·]{3,}", " ", wrapped).strip()
                joined.add(index + 1)
            if NOT_THE_MEETINGS_DAY.search(line):
                continue
            if block and (m := CHAIR_LABEL_IN_A_LIST.match(line)):
                # "Ordförande     Jessica Wahlberg (S)" under "Beslutande": a member.
                self._person_line(f"{m[2]}, {m[1]}", block)
                continue
            if block and self.people and (m := re.match(r"^för\s+" + NAME + r"\s*$", line)):
                # "Marita Holm, tjänstgörande ersättare" / "för Anders Rehn": the line goes on.
                self.people[-1]["substitutes_for"] = squash(m[1])
                self.people[-1]["capacity"] = "tjanstgorande_ersattare"
                continue
            kind, rest = self._attendance_heading(line)
            if kind and rest:
                # "Övriga närvarande      Ersättare": the group named in the value column.
                inner, after = self._attendance_heading(rest)
                if inner:
                    kind, rest = inner, after
            if kind:
                block = kind
                # "Ledamöter (S): A, B, C": the group's party, for each of its people.
                grouped = re.match(r"^\(([^)]{1,40})\)\s*:?\s*(.*)$", rest)
                self.group_party = grouped[1] if grouped else None
                rest = grouped[2] if grouped else rest
                if rest:
                    self._person_line(rest, kind)
                continue
            if (
                v := _label_value(
                    line, "sammanträdesdatum", "sammanträdesdag", "mötesdatum", "datum", "dag"
                )
            ) is not None:
                # A table's label over its value: the day stands on the next line.
                day = read_date(v) or (None if v else read_date(_next_line(head, index)))
                if day:
                    meeting_days.append(day)
                if day and "date" not in facts:
                    facts["date"] = day
                start, end = read_times(re.sub(r"\d{4}-\d{2}-\d{2}", "", v))
                if start and "start" not in facts:
                    facts["start"], facts["end"] = start, end
                block = None
                continue
            if (
                v := _label_value(
                    line, "plats och tid", "tid och plats", "sammanträdets plats och tid"
                )
            ) is not None:
                if day := read_date(v):
                    meeting_days.append(day)
                facts.setdefault("date", day)
                start, end = read_times(re.sub(r"\d{4}-\d{2}-\d{2}", "", v))
                facts.setdefault("start", start)
                facts.setdefault("end", end)
                value = _value_lines(head, index, v)
                if day is None and start is None:
                    # The label over its value: the day and time stand below.
                    start, end = read_times(re.sub(r"\d{4}-\d{2}-\d{2}", "", " ".join(value)))
                    facts["start"] = facts.get("start") or start
                    facts["end"] = facts.get("end") or end
                facts.setdefault("place", _place_among(*value))
                block = None
                continue
            if (v := _label_value(line, "tid", "tidpunkt", "klockan")) is not None:
                start, end = read_times(v)
                if len(TIME.findall(v)) > 2:
                    # "tisdag 26/1 kl. 17.30–20.30 och onsdag 27/1 kl. 17.30–19.45": a
                    # meeting over two days ends on another day than it began.
                    end = None
                    self.unsure.add("meeting.end_time")
                if start:
                    facts.setdefault("start", start)
                    facts.setdefault("end", end)
                if (day := read_date(v)) and "date" not in facts:
                    facts["date"] = day
                block = None
                continue
            if (v := _label_value(line, "plats", "lokal", "mötesplats")) is not None:
                # "Bygdegården, Hälsingevik   Tid: 19.00–21.15": the place, not the time.
                v = re.sub(r"\s+(tid|klockan|kl\.)\s*:.*$", "", v, flags=re.I)
                # "Klubbstugan, kl 19.00-20.45": the time is the time's.
                v = re.sub(r",?\s+(kl\.?|klockan)\s*\d{1,2}[.:]\d{2}.*$", "", v, flags=re.I)
                # "Kommunhuset, rum 3. Del av styrelsen" / "deltog via Teams.": the
                # place is the first sentence; the rest (going on below) may say remote.
                below = head[index + 1] if index + 1 < len(head) else ""
                if re.match(r"^\s{4,}\S", below) and not HEAD_KEYS.match(below.strip()):
                    facts.setdefault("place_said", f"{v} {below.strip()}")
                facts.setdefault("place_said", v)  # "Folkets hus. Mats Öberg deltar via Teams."
                # "Föreningslokalen (Ylva Sandell deltog via Teams)": the bracket says
                # remote (place_said keeps it), the place is the rest.
                place = re.split(r"(?<=\w)\.\s+(?=[A-ZÅÄÖ])", v)[0]
                place = re.sub(r"\s*\([^)]*\b(?:teams|zoom|skype|distans|digital\w*)\b[^)]*\)",
                               "", place, flags=re.I)  # fmt: skip
                facts.setdefault("place", place)
                block = None
                continue
            signer = None
            for labels, key in (
                (("utses att justera", "justerare", "protokolljusterare"), "justerare_head"),
                (("sekreterare", "protokollförare"), "secretary_head"),
                (("ordförande",), "chair_head"),
            ):
                if (v := _label_value(line, *labels)) is not None:
                    # The name under its label and line: "Sekreterare ____" / "Malin Öberg".
                    below = squash(_next_line(head, index))
                    if not v and re.fullmatch(r"[A-ZÅÄÖÉ][\w-]+(\s+[A-ZÅÄÖÉ][\w-]+){1,2}", below):
                        v = below
                    signer = (key, v)
                    break
            if signer is not None and (signer[1] or signer[0] != "chair_head"):
                facts.setdefault(*signer)
                block = None
                continue
            if HEAD_KEYS.match(line):
                block = None
                continue
            if block:
                self._person_line(line, block)
            else:
                opening.append(line)
        if len(set(meeting_days)) > 1:
            self.unsure.add("meeting.date")
            self.warnings.append(
                _("The protocol gives the meeting more than one day: %(days)s.")
                % {"days": ", ".join(sorted({f"{d:%Y-%m-%d}" for d in meeting_days}))}
            )
        if "date" not in facts or facts["date"] is None:
            # No field names the meeting's day: the first day of the head, marked.
            facts["date"] = read_date(whole)
            if facts["date"] is not None:
                self.unsure.add("meeting.date")
        if not facts.get("start"):
            start, end = read_times(re.sub(r"\d{4}-\d{2}-\d{2}", "", whole))
            facts["start"], facts["end"] = start, end
        facts["opening"] = facts.get("opening", []) + opening
        for place, table in zip(self.table_places, self.tables, strict=True):
            if place >= len(head):  # a presence list at the protocol's end
                self._table_people(table)

    def _label_over_two_lines(self, raw: str, below: str) -> tuple[str, str]:
        """ "Ej tjänstgörande   Karl Ivarsson (S)" over "ersättare   Lisbeth Roos (M)": a
        label wrapped in its column; the label whole on the first line, the second
        line its value only."""
        m = re.match(r"^(\S+(?: \S+)?)\s{3,}(\S.*)$", raw)
        n = re.match(r"^(\S+(?: \S+)?)(?:(\s{3,})(\S.*))?\s*$", below)
        if not m or not n or self._attendance_heading(m[1])[0]:
            return raw, below
        if not self._attendance_heading(f"{m[1]} {n[1]}")[0]:
            return raw, below
        value_at = raw.index(m[2])
        return f"{m[1]} {n[1]}   {m[2]}", (" " * value_at + n[3]) if n[3] else ""

    def _wrapped(self, raw: str, following_raw: str, block: str | None) -> str | None:
        """The row with the next line, when it wrapped in its column; else None."""
        line, following = raw.strip(), following_raw.strip()
        if not line or not following:
            return None
        in_attendance = bool(block or self._attendance_heading(line)[0])
        if (
            in_attendance
            and (
                (line.endswith(",") and re.match(r"^([a-zåäö]|§|fr\.?\s*o)", following))
                # "…, från" / "kl. 19.05, §§ 76–86"
                or (
                    re.search(r",\s*(från|fr\.?\s*o\.?\s*m\.?|t\.?\s*o\.?\s*m\.?)$", line)
                    and re.match(r"^(kl|§)", following)
                )
                or re.match(r"^[a-zåäö]+,", following)  # "län, tjänstgörande för …"
                or re.match(r"^\([a-zåäö]", following)  # "(förbundschef, sekr)"
                # "(Landstinget i" / "Södra Vättland)": a bracket closed on the next line
                or (line.count("(") > line.count(")") and ")" in following.split("(")[0])
            )
            and not re.match(r"^(för|suppleant|ersättar|ledamot|adjunger)", following)
        ):
            return f"{line} {following}"
        if not block:
            return None
        if (
            (
                re.search(r"\b(ersättare|suppleant|tjänstgörande)$", line)
                and re.match(r"^för\s+[A-ZÅÄÖ]\S*\s+[A-ZÅÄÖ]\S*\s*,", following)
            )
            or (
                # "… tjänstgörande ersättare för" / "Ingrid Bäck": whom for, below
                re.search(r"\b(ersättare|suppleant|tjänstgörande|tjänstgör)\s+för$", line)
                and re.match(r"^[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+", following)
            )
            or (
                # "… ersättare för Kjell" / "Lindahl (M), §§ 142–145": a name split
                re.search(r"\bför\s+[A-ZÅÄÖ][\w-]+$", line)
                and re.match(r"^[A-ZÅÄÖ][\w-]+\s*[(,]", following)
            )
        ):
            return f"{line} {following}"
        # "Jenny Kullberg, tjänstgörande      Arbetsförmedlingen" / "ersättare för Hans
        # Öberg" under the name: the name's column goes on; the party stays its own.
        columns = [c for c in re.split(r"\s{3,}", raw.strip()) if c]
        name_at = len(raw) - len(raw.lstrip())
        indent = len(following_raw) - len(following_raw.lstrip())
        if (
            len(columns) >= 2
            and indent == name_at
            and re.match(r"^(ersättare|suppleant|tjänstgör\w*)\b", following)
        ):
            return "   ".join([f"{columns[0]} {following}", *columns[1:]])
        return None

    def _table_people(self, table: tables.Table) -> None:
        """The people of an attendance table (meetings/legacy/tables.py) as rows."""
        for listed in table.people:
            before = len(self.people)
            self._person_line(listed.cell, listed.capacity)
            if len(self.people) == before:
                continue
            row = self.people[-1]
            if row["capacity"] != "tjanstgorande_ersattare" or listed.capacity == "franvarande":
                row["capacity"] = listed.capacity
            if listed.party:
                row["party"], row["unsure_party"] = listed.party, False
                row.pop("political", None)
            if listed.serves_for_row and not row["substitutes_for"]:
                row["substitutes_for"] = listed.serves_for_row
            row["unsure_fields"] = set(listed.unsure)
            present, numbers = listed.present_at, table.numbers
            if present and numbers:
                if present[0] != numbers[0]:
                    row["present_from"] = present[0]
                if present[-1] != numbers[-1]:
                    row["present_until"] = present[-1]
                if numbers.index(present[-1]) - numbers.index(present[0]) + 1 != len(present):
                    # Away in the middle: one span is what a row holds.
                    row["unsure_fields"] |= {"present_from", "present_until"}

    def _attendance_heading(self, line: str) -> tuple[str | None, str]:
        for pattern, kind in ATTENDANCE_BLOCKS:
            m = pattern.match(line)
            if m:
                rest = line[m.end() :].strip(" :\t")
                return kind, rest
        return None, ""

    def _person_line(self, line: str, kind: str, *, one: bool = False) -> None:
        """One person of an attendance block: "Name, Party (from § 35)", "Name  Party",
        "Name Party ordförande", "Name (S) tjänstgör för Other Name"."""
        line = line.strip()
        if not line or DOTTED.match(line):
            return
        # "Jörgen Lidén (M), tjänstgörande ersättare för" / "Cecilia Nordin (M)"
        awaits = bool(self.people) and self.people[-1].pop("awaits_substitute", False)
        if awaits and (m := re.match(NAME, line)):
            self.people[-1]["substitutes_for"] = squash(m[1])
            return
        # "Gunnar och Lisbeth Ek": two people of one family name.
        line = re.sub(
            r"(^|,\s*|:\s*)([A-ZÅÄÖ][\w-]+)\s+och\s+([A-ZÅÄÖ][\w-]+)\s+([A-ZÅÄÖ][\w-]+)(?=\s*(?:\(|,|$))",
            r"\1\2 \4, \3 \4",
            line,
        )
        if not one and (listed := _listed_people(line, grouped=bool(self.group_party))):
            for item in listed:
                self._listed_person(item, kind)
            return
        # Two people on a line (two columns): split on wide gaps when both look like names.
        columns = [c.strip() for c in re.split(r"\s{3,}|\t+", line) if c.strip()]
        row = {
            "person": "",
            "capacity": kind,
            "party": None,
            "role_title": "",
            "substitutes_for": None,
            "present_from": None,
            "present_until": None,
            "chair": False,
        }
        text = " ".join(columns)
        if re.search(r"(?<!\S)[Tt]jg\.?(?!\S)", text) and kind == "ersattare":
            row["capacity"] = "tjanstgorande_ersattare"  # "Tjg": serving
        text = PRESENCE_MARK.sub(" ", text)
        if m := CHAIRED_AT.search(text):
            row["chaired_at"] = squash(m[0]).strip(" ,()")
            text = CHAIRED_AT.sub(" ", text)
        if m := ABSENT_AT.search(text):
            row["absent_at"] = (int(m[1]), int(m[2] or m[1]))
            text = ABSENT_AT.sub(" ", text)
        columns = [c for c in (PRESENCE_MARK.sub(" ", c).strip() for c in columns) if c]
        if (
            len(columns) > 1
            and ORGANISATION_WORD.search(columns[0])
            and re.match(NAME + r"(?:,|\s*\(|$)", columns[1])
        ):
            # "Norrviks kommun      Birgitta Strand, socialchef": the member first.
            row["party"], columns = columns[0], columns[1:]
            row["party_first"] = True
            text = " ".join(columns)
        if len(columns) > 1:
            # "Jonas Pettersson för Malin Strand    Arbetsförmedlingen": whom one serves
            # for is read in the name's column, not into the party's.
            serving = [SERVES_FOR] + (
                [SERVES_FOR_SHORT] if kind == "tjanstgorande_ersattare" else []
            )
            for pattern in serving:
                if m := pattern.search(columns[0]):
                    row["substitutes_for"] = squash(m[1])
                    row["capacity"] = "tjanstgorande_ersattare"
                    columns[0] = (columns[0][: m.start()] + " " + columns[0][m.end() :]).strip()
                    text = " ".join(columns)
                    break
        if remote := REMOTE_PERSON.search(text):
            # "Roger Falk (SD), deltar på distans": the meeting took remote participation.
            self.head_facts["remote_person"] = True
            text = (text[: remote.start()] + text[remote.end() :]).strip()
        for m in PARTIAL.finditer(text):
            if m[2]:
                row["present_from"] = int(m[2])
            elif m[4]:
                row["present_until"] = int(m[4])
            elif m[7]:
                row["present_from"] = row["present_until"] = int(m[7])
            else:
                row["present_from"], row["present_until"] = int(m[5]), int(m[6])
        text = PARTIAL.sub(" ", text)
        if text.count("(") > text.count(")"):
            text += ")"  # "(kassör, från § 4)": the span went with the bracket's end
        m = None if row["substitutes_for"] else SERVES_FOR.search(text)
        if m is None and kind == "tjanstgorande_ersattare" and not row["substitutes_for"]:
            m = SERVES_FOR_SHORT.search(text)
        if m is not None:
            row["substitutes_for"] = squash(m[1])
            row["capacity"] = "tjanstgorande_ersattare"
            text = text[: m.start()] + " " + text[m.end() :]
        said_role = ""
        if m := VICE_MARK.search(text):
            said_role = m[1]
            text = VICE_MARK.sub(" ", text)
        elif (m := CHAIR_MARK.search(text)) and kind == "beslutande":
            row["chair"], said_role = True, m[1]
            text = CHAIR_MARK.sub(" ", text)
        if POLITICAL.search(text):
            row["political"] = POLITICAL.search(text)[1]
        text = POLITICAL.sub(" ", text)
        # "Maria Lindqvist (Älvby kommun), ordförande": the party in brackets.
        text = re.sub(r"^([^(,]+?)\s*\(([^)]*)\)", r"\1, \2", text.strip())
        name_column = len(columns) > 1 and re.fullmatch(
            r"[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2}", columns[0]
        )
        if "," in text and not name_column:
            # ("Petra Ek    ekonom, sekreterare": the comma is the title's, in its column.)
            parts = [squash(p) for p in text.split(",") if p.strip()]
            name, rest = parts[0], ", ".join(parts[1:])
        elif len(columns) > 1:
            name = squash(POLITICAL.sub(" ", PARTIAL.sub(" ", columns[0])))
            name = CHAIR_MARK.sub(" ", VICE_MARK.sub(" ", name)).strip()
            rest = (
                squash(text[len(name) :])
                if squash(text).startswith(name)
                else squash(" ".join(columns[1:]))
            )
        else:
            name, rest = self._split_name(squash(text), listed=one)
        name = squash(name)
        tokens = name.split()
        if len(tokens) < 2 or not tokens[0][:1].isupper() or not tokens[-1][:1].isupper():
            # Not a person ("Mötets öppnande" after the list): the list has ended.
            self.head_facts.setdefault("opening", []).append(line)
            return
        rest = rest.strip(" ,-–")
        if serving := re.match(
            r"^(tjänstgörande|tjg\.?)\s+(ersättare|suppleant)\b[\s,]*", rest, re.I
        ):
            # "Marita Holm, tjänstgörande ersättare    Arbetsförmedlingen"
            row["capacity"] = "tjanstgorande_ersattare"
            rest = rest[serving.end() :].strip(" ,-–")
            if rest.casefold() == "för":  # whom for: on the next line
                row["awaits_substitute"], rest = True, ""
        if kind == "franvarande" and (
            said := re.match(r"^(ledamot|ersättare|suppleant)\b[\s,]*", rest, re.I)
        ):
            # "Carina Åhman, ledamot, Arbetsförmedlingen" among the absent: what she
            # would have been, then her member organisation.
            rest = rest[said.end() :]
        if kind == "ovrig" or row.pop("party_first", False):
            row["role_title"] = rest
        elif ROLE_WORD.match(rest) or (rest[:1].islower() and not POLITICAL.fullmatch(f"({rest})")):
            # "Anna Ek, kassör", "Pia Ek, studieorganisatör": a role, not a party (a
            # party or member organisation is written with a capital).
            row["role_title"] = rest
            if kind == "ersattare" and not ROLE_WORD.match(rest) and not row.get("political"):
                # "Erik Bylund, kommunchef" after the deputies: staff, marked.
                row["capacity"] = "ovrig"
                row.setdefault("unsure_fields", set()).add("capacity")
        else:
            row["party"] = rest or None
            if re.search(r"[()\d]", rest):  # "(endast 26/1": not a party's name
                row["unsure_party"] = True
        if not row["party"] and row.get("political") and kind != "ovrig":
            row["party"] = row["political"]  # "Mats Hedberg (S)"
        if not row["party"] and self.group_party and kind != "ovrig":
            row["party"] = self.group_party
        elif self.group_party and row["party"] != self.group_party and kind != "ovrig":
            row["unsure_party"] = True  # the heading names another party
        # "Anna Ek (S), ordförande": the chair's role is a title too, written out.
        row["role_title"] = role_title(row["role_title"] or said_role)
        if (
            kind == "beslutande"
            and re.fullmatch(r"suppleant|ersättare", row["role_title"], re.I)
            and row["capacity"] != "tjanstgorande_ersattare"  # "suppl., tjänstgörande för X"
        ):
            row["capacity"] = "ersattare"  # "Jessica Palm (suppleant)" among those present
        if kind == "franvarande":  # "(anmält förhinder)": why absent, not a title
            row["role_title"] = re.sub(
                r"^(anmält förhinder|förhinder|frånvarande|ej närvarande)\b[\s,]*",
                "",
                row["role_title"],
                flags=re.I,
            )
        if (
            kind == "beslutande"
            and re.fullmatch(r"[\wåäö]*ordförande", row["role_title"], re.I)
            and not any(r["chair"] for r in self.people)
        ):
            row["chair"] = True  # "Ingrid Falk, förbundsordförande"
        if (
            row["capacity"] == "beslutande"
            and not row["chair"]
            and not row.get("political")
            and STAFF_TITLE.search(row["role_title"])
            and (not row["party"] or re.search(r"kansli|förbundet", row["party"] or "", re.I))
        ):
            # "Sara Jovanović (förbundschef, sekr)" among those present: the förbund's
            # staff, not a member; for the review to confirm.
            row["capacity"], row["party"] = "ovrig", None
            row.setdefault("unsure_fields", set()).add("capacity")
        row["person"] = name
        self.people.append(row)

    def _listed_person(self, item: str, kind: str) -> None:
        """One person of a list: "suppleanten Erik Wallin" is a deputy titled so."""
        said = LISTED_PERSON.match(item)
        before = said[1] if said else None
        if before is None:
            self._person_line(item, kind, one=True)
            return
        item = item[len(before) :].strip()
        if before.startswith(("suppleant", "ersättar")):
            kind = "ersattare"
        self._person_line(item, kind, one=True)
        if before.startswith("suppleant") and self.people and not self.people[-1]["role_title"]:
            self.people[-1]["role_title"] = "Suppleant"

    @staticmethod
    def _split_name(text: str, *, listed: bool = False) -> tuple[str, str]:
        tokens = text.split()
        if (
            listed
            and len(tokens) == 3
            and all(t[:1].isupper() for t in tokens)
            and not ROLE_WORD.match(tokens[2])
            and not ORGANISATION_WORD.search(tokens[2])
            and not PARTY_WORD.match(tokens[2])
        ):
            return text, ""  # "Eva Marie Lindgren" in a list of names: one name
        for i in range(2, len(tokens)):
            if (
                PARTY_WORD.match(tokens[i])
                or (i + 1 < len(tokens) and PLACE_BEFORE.match(tokens[i + 1]))
                or tokens[i][:1].islower()
            ):
                return " ".join(tokens[:i]), " ".join(tokens[i:])
        if len(tokens) >= 3 and len(tokens) <= 3 and all(t[:1].isupper() for t in tokens):
            # "Anna Berg Förbundschef" reads as name + title; three capitalised names
            # ("Anna Maria Berg") as one name only when nothing else is there.
            return " ".join(tokens[:2]), " ".join(tokens[2:])
        return " ".join(tokens[:2]), " ".join(tokens[2:])

    # -- paragraphs --
    def read_paragraphs(self, body: list[str]) -> list[dict]:
        items: list[dict] = []
        section = None
        current = None
        pending_section = None
        i = 0
        while i < len(body):
            line = body[i]
            m = HEADING.match(line)
            stripped = squash(line)
            if m:
                title = m[2]
                bilaga = None
                dnr_first = None
                if re.match(
                    r"^(dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\b",
                    title,
                    re.IGNORECASE,
                ):
                    # "SN § 7    Dnr SN 2011/8": the heading's number, the title below.
                    dnr_first, title = title, ""
                elif dnr_in_brackets := re.search(
                    r"\s*\((?:dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\.?\s*:?\s*([^)]+)\)\s*$",
                    title,
                    re.I,
                ):
                    # "Ekonomisk uppföljning januari–april 2022 (dnr 2022/8)"
                    dnr_first = f"Dnr {dnr_in_brackets[1]}"
                    title = title[: dnr_in_brackets.start()]
                elif dnr_at_end := re.search(
                    r"\s+((?:dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\b.*|[A-ZÅÄÖ]{1,6}\s+\d{4}[/.]\d{1,5}(?:[.:-]\d+)?)$",
                    title,
                    re.I,
                ):
                    # "Uppföljning januari–april   Dnr SFV 2017/9": the field, not the title.
                    dnr_first, title = dnr_at_end[1], title[: dnr_at_end.start()]
                if (b := BILAGA_AT_END.search(title)) is not None:
                    bilaga, title = int(b[1]), title[: b.start()]
                if not title.strip():  # the title on the next line
                    j = i + 1
                    while j < len(body) and not body[j].strip():
                        j += 1
                    if j < len(body) and not HEADING.match(body[j]):
                        title = body[j]
                        i = j
                # A title over two lines: the next line goes on in lower case, or the
                # title ends with a word that cannot end it.
                j = i + 1
                if j < len(body) and body[j].strip() and not HEADING.match(body[j]):
                    following = squash(body[j])
                    ends_open = re.search(
                        r"\b(och|för|av|i|till|med|om|på|inom|samt|"
                        r"inför|kring|gällande|avseende)\s*[-–]?$",
                        squash(title),
                        re.IGNORECASE,
                    )
                    # A title's years on a line of their own ("… och budget" / "2024–2026"),
                    # and a one-line decision going on ("… godkändes med" / "tillägg.").
                    years = re.fullmatch(r"\d{4}(\s*[–-]\s*\d{2,4})?", following)
                    decided = DECIDED_IN_TITLE.search(title) and following[:1].islower()
                    if (
                        years
                        or decided
                        or (
                            len(following) < 70
                            and (following[:1].islower() or ends_open)
                            and not DECISION_START.match(following)
                            and not following.endswith(".")
                        )
                    ):
                        if (b := BILAGA_AT_END.search(following)) is not None:
                            bilaga, following = int(b[1]), following[: b.start()]
                        title = f"{squash(title)} {following}"
                        i = j
                # "§ 9 Individärende (sekretess)": kept secret, the mark no part of the title.
                secret_mark = re.search(
                    r"\s*\((?:sekretess|sekretessbelagt|sekr\.?)\)\s*$", title, re.I
                )
                if secret_mark:
                    title = title[: secret_mark.start()]
                # "§ 23   Ärende: Mötets öppnande": the label is not the title.
                title = re.sub(r"^\s*(ärende|rubrik|punkt)\s*:\s*", "", title, flags=re.I)
                if run_on := re.match(r"^(.{2,60}?[^\s.:])[.:]\s+([A-ZÅÄÖ].*)$", title):
                    # "§ 5. Ekonomi. Kassören redovisade …": the title, then the text.
                    title, dnr_first = run_on[1], run_on[2]
                elif (
                    run_on := re.match(r"^(.{2,60}?\S)\s+[–-]\s+([A-ZÅÄÖ].*)$", title)
                ) and _reads_as_a_sentence(run_on[2]):
                    # "§ 2 Val av justerare – Gunvor Lind valdes …", "§ 10 Julbordet –
                    # Punkten ströks, se § 3": the title, a dash, then the text.
                    title, dnr_first = run_on[1], run_on[2]
                current = {
                    "number": int(m[1]),
                    "title": squash(title).rstrip(" .:"),
                    "secret_mark": bool(secret_mark),
                    "lines": [dnr_first] if dnr_first else [],
                    "bilagor": [],
                    "section": pending_section or section,
                }
                if bilaga:
                    current["bilagor"].append((bilaga, current["title"], True))
                pending_section = None
                items.append(current)
                i += 1
                continue
            heading = self._section_heading(stripped)
            if (
                heading
                and current is not None
                and not current["lines"]
                and not _blank_before(body, i)
            ):
                # "§ 42 Information från förbundschefen" / "Information": the label of
                # this § right under its heading, not a heading of the § that follow.
                current["section"] = heading
                i += 1
                continue
            if heading and (current is None or not current["lines"] or _blank_before(body, i)):
                section = pending_section = heading
                i += 1
                continue
            if (m := BILAGA_LIST.match(line)) and (
                m[1] or (i + 1 < len(body) and re.match(r"^\s*1[.)]\s+\S", body[i + 1]))
            ):
                # "Bilagor: 1. Preliminärt bokslut 2023, 2. Ansökan …", or "Bilagor" over
                # a numbered list: the titles, not text.
                listed = m[1] or ""
                j = i + 1
                while j < len(body) and re.match(r"^\s*\d{1,3}[.)]\s+\S", body[j]):
                    listed += " " + body[j].strip()
                    j += 1
                for number, title in re.findall(
                    r"(?:^|,|\s)\s*(\d{1,3})[.)]\s+(.+?)(?=,\s*\d{1,3}[.)]\s|\s+\d{1,3}[.)]\s|$)",
                    listed.strip(),
                ):
                    # ("… till § 9 (ej offentlig)": what is said of it, not its title.)
                    title = re.sub(r"\s*\((ej offentlig|sekretess\w*)\)\s*$", "", squash(title))
                    title = re.sub(
                        r"^(underlag|beslutsunderlag|bilaga)\s*:\s*", "", title, flags=re.I
                    )
                    self.bilaga_titles[int(number)] = title.rstrip(" .,")
                i = j
                continue
            if (
                current is not None
                and not HISTORY_LINE.match(line)
                and not self._page_head(line)
                and not (
                    (line.strip() and DOTTED.match(line)) or re.match(r"^\s*[-=_*]{3,}\s*$", line)
                )
            ):
                # (The justering's and the anslag's days are the protocol's history,
                # read elsewhere; not the last paragraph's text.)
                current["lines"].append(line)
            i += 1
        items = self._without_contents_list(items)
        _move_dnr_to_the_next(items)
        return [self._paragraph(p, position) for position, p in enumerate(items, start=1)]

    def _page_head(self, line: str) -> bool:
        """A later page's head, "Styrelsen 2024-12-05": the body and the meeting's day."""
        m = re.fullmatch(r"[A-ZÅÄÖ][\w-]*(?:\s+[\wåäö-]+){0,4}\s+(\d{4}-\d{2}-\d{2})", squash(line))
        return bool(m) and read_date(m[1]) == self.head_facts.get("date")

    def _without_contents_list(self, items: list[dict]) -> list[dict]:
        """A contents list before the § bodies names each § twice: the heading with
        no text under it goes, the one with its text stays. Another repeated number
        is kept twice and marked."""
        by_number: dict[int, list[dict]] = {}
        for item in items:
            by_number.setdefault(item["number"], []).append(item)
        dropped = set()
        for number, same in by_number.items():
            if len(same) < 2:
                continue
            bodies = [p for p in same if any(line.strip() for line in p["lines"])]
            if len(bodies) == 1:
                dropped |= {id(p) for p in same if p is not bodies[0]}
            else:
                self.unsure.add("paragraphs")
                self.warnings.append(
                    _("§ %(number)s stands more than once in the protocol.") % {"number": number}
                )
        return [p for p in items if id(p) not in dropped]

    @staticmethod
    def _section_heading(line: str) -> str | None:
        key = line.strip(" :").casefold()
        for pattern, section in SECTION_HEADINGS:
            if pattern.match(key):
                return section
        return None

    def _paragraph(self, item: dict, position: int) -> dict:
        # "Ansvarig: Rasmus, klart till 15 augusti.": who carries out the decision
        # above, and by when (the decision's uppdrag, not its text).
        responsible = [m for line in item["lines"] if (m := RESPONSIBLE.match(line))]
        item["lines"] = [line for line in item["lines"] if not RESPONSIBLE.match(line)]
        paragraphs = _blocks(item["lines"], self.double)
        text_blocks, decision_blocks, statements = [], [], []
        # The body each decision block proposes to, when a label said so.
        proposed: list[str | None] = []
        to_body = None
        in_decision = False
        # "Förslag till beslut … Beslut …": what was proposed is the handling, the
        # decision is under its own label.
        decided_below = any(
            (DECISION_LABEL.match(b[0]) and not PROPOSED_LABEL.match(b[0]))
            or PROPOSAL_LABEL.match(b[0])  # "Arbetsutskottets förslag till direktionen"
            for b in paragraphs
        )
        for block in paragraphs:
            first = block[0]
            if decided_below and PROPOSED_LABEL.match(first) and not decision_blocks:
                text_blocks.append(block)
                continue
            label = DECISION_LABEL.match(first) or PROPOSAL_LABEL.match(first)
            if label:
                in_decision = True
                to_body = label[1] if label.re is PROPOSAL_LABEL else None
                block = block[1:]
                if not block:
                    continue
                first = block[0]
                if to_body and decision_blocks:
                    # The proposal to the other body is a decision of its own.
                    decision_blocks.append(block)
                    proposed.append(to_body)
                    continue
            joined = " ".join(block)
            if DISTRIBUTION.match(first) and not label:
                in_decision = False
                continue
            if re.match(r"^\s*jäv\s*:?\s*$", first, re.I) and decision_blocks and block[1:]:
                # "Jäv" over "Eva Sandqvist (S) anmäler jäv …" after the decision: said
                # of the decision, as without its label.
                statements.append(" ".join(block[1:]))
                continue
            if TEXT_LABEL.match(first) and not label:
                # "Ärendebeskrivning", "Beslutsunderlag", "Yrkanden" after the decision:
                # the handling's text again.
                in_decision = False
                text_blocks.append(block)
            elif STATEMENT.match(first) or NOTE.match(first):
                # "X reserverar sig", "X anmäler jäv": recorded on the decision, said
                # here; "X lämnar sammanträdet": the attendance says it. Said before
                # the decision ("X anmäler jäv, då …"), it is the handling's text too.
                statements.append(joined)
                if not decision_blocks and STATEMENT.match(first) and not label:
                    text_blocks.append(block)
                elif not decision_blocks and re.search(r"[.!?]\s+[A-ZÅÄÖ]", joined.strip()):
                    # "Tove Ahlgren ansluter … Protokollet … gicks igenom.": a note, then
                    # the handling's text in the same block.
                    text_blocks.append(block)
            elif re.match(r"^\s*[a-zåäö][.)]\s", first) and decision_blocks and not label:
                # "b) Erik Wallin påminde om …" after "a)"'s decision: the next item.
                in_decision = False
                text_blocks.append(block)
            elif (
                (
                    self._anothers_proposal(first)
                    or re.search(r"(voterings|propositions)ordning", first)
                )
                and not to_body
                and not decision_blocks
            ):
                # ("Styrelsen godkänner följande voteringsordning: …": how it was decided.)
                # "Arbetsutskottet föreslår, AU 2017-05-29 § 19, att …" in the styrelse's
                # protocol: what the decision is about, not the decision.
                text_blocks.append(block)
            elif ATT_CLAUSE.match(first) and decision_blocks:
                decision_blocks[-1] = decision_blocks[-1] + block  # the decision goes on
            elif (
                DECISION_START.match(first)
                or ATT_CLAUSE.match(first)
                or (
                    len(joined) < 200
                    and PASSIVE_DECISION.search(joined)
                    and not text_blocks
                    and joined.count(". ") == 0
                )
            ):
                in_decision = True
                decision_blocks.append(block)
                proposed.append(to_body)
            elif in_decision and decision_blocks:
                decision_blocks[-1] = decision_blocks[-1] + block
            elif in_decision:
                decision_blocks.append(block)
                proposed.append(to_body)
            elif (m := DECISION_INSIDE.search(joined)) or (m := DECIDED_LAST.search(joined)):
                # The text up to the decision, then the decision (and what follows it).
                text_blocks.append([joined[: m.start(1)].strip()])
                decision_blocks.append([m[1]])
                proposed.append(to_body)
                in_decision = True
            else:
                text_blocks.append(block)
        if not paragraphs and DECIDED_IN_TITLE.search(item["title"]):
            # Nothing under the heading but a decision in it: the decision, marked (the
            # § has no title of its own to read).
            decision_blocks.append([item["title"]])
            proposed.append(None)
            self.unsure.add(f"paragraphs[{position - 1}].title")
        for block in text_blocks + decision_blocks:
            for line in block:
                if (sub := SUB_ITEM.match(line)) and BILAGA_MENTION.search(line):
                    # "a. Viljeinriktning, bilaga 2": the sub-item's title.
                    title = BILAGA_AT_END.sub("", line[sub.end() - 1 :]).strip(" .:")
                    for b in BILAGA_MENTION.finditer(line):
                        item["bilagor"].append((int(b[1]), title or item["title"], bool(title)))
            for at, line in enumerate(block):
                # "Kostnadskalkyl Norrgärdets förskola, bilaga 2": a line of its own
                # under "Beslutsunderlag" names the bilaga (not the last line of a
                # sentence that wrapped: "… med\nNorrbygg AB för … enligt bilaga 2.").
                own = BILAGA_AT_END.search(line.rstrip(" ."))
                listed = squash(line[: own.start()]) if own else ""
                # ("Underlag: Förslag till budget 2022, bilaga 1": the label is not the title.)
                listed = re.sub(r"^(underlag|beslutsunderlag)\s*:\s*", "", listed, flags=re.I)
                wrapped = at > 0 and not block[at - 1].rstrip().endswith((".", ":", ";"))
                if (
                    own
                    and not (wrapped and len(block[at - 1]) > 50)
                    and not re.search(r"\b(enligt|se|i|av|till|med|och)\s*,?$", listed, re.I)
                    and re.match(r"^[A-ZÅÄÖ][^.]{3,80}$", listed)
                    and not SUB_ITEM.match(line)
                    and not DECISION_START.match(listed)
                    and not re.search(
                        r"\b(har|är|ska|kommer|redovisar|informerar|föredrar|presenterar|"
                        r"ansöker|lämnar|visar)\b",
                        listed,
                    )
                    and not any(r["person"] in listed for r in self.people)
                    and not re.search(
                        r"\b(redogjorde|föredrog|presenterade|informerade|redovisade)\b", listed
                    )
                ):
                    item["bilagor"].append((int(own[1]), listed, True))
            joined = " ".join(
                squash(line)
                for line in block
                if not SUB_ITEM.match(line)
                and not re.match(
                    r"^\s*(dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\b", line, re.I
                )
            )
            for b in BILAGA_MENTION.finditer(joined):
                title = _bilaga_title(joined, b)
                item["bilagor"].append((int(b[1]), title or item["title"], False))
        dnr = _diarienummer(item["title"] + "\n" + "\n".join(item["lines"][:4]))
        text = "\n\n".join(_join(block) for block in text_blocks)
        if dnr:  # a line of its own ("Dnr SF 2023/11") is the field, not text
            text = re.sub(
                r"^\s*(?:(dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\.?\s*:?\s*)?"
                + re.escape(dnr)
                + r"\s*",
                "",
                text,
                flags=re.IGNORECASE,
            ).strip()
        decisions = [
            self._decision(_join(block), to_body)
            for block, to_body in zip(decision_blocks, proposed, strict=True)
        ]
        decisions = [d for d in decisions if d["text"]]
        if decisions and responsible:
            self._responsible(decisions[-1], responsible)
        if decisions:
            # Reservations and jäv, said anywhere in the paragraph, go with its last decision.
            said = "\n".join([text, *statements, *(d["text"] for d in decisions)])
            last = decisions[-1]
            for name, motivation in self._reservations(said):
                if name not in [r["person"] for r in last["reservations"]]:
                    last["reservations"].append({"person": name, "motivation": motivation})
            if vote := VOTE.search(said):
                last["vote"] = {
                    "for": int(vote[1]),
                    "against": int(vote[2]),
                    "abstaining": int(vote[3]) if vote[3] else None,
                    "result": squash(vote[0]).rstrip(".") + ".",
                }
            for m in JAV.finditer(said):
                if (name := self._person_named(m[1])) and name not in last["jav"]:
                    last["jav"].append(name)
        # "Sekretess enligt 26 kap. 1 § OSL": the original kept this § secret; the
        # public version shows its title only (marked: the review decides, and
        # whether the notice is the § text).
        # A text cut off mid-sentence, or a decision that begins mid-sentence: the
        # reading lost where one ends and the other begins.
        if text and (
            not text.rstrip().endswith((".", "!", "?", ":", "”", '"', ")", "»"))
            or text[:1].islower()
        ):
            self.unsure.add(f"paragraphs[{position - 1}].text")
        for number, d in enumerate(decisions):
            if d["text"][:1].islower() and not d["text"].startswith("att "):
                self.unsure.add(f"paragraphs[{position - 1}].decisions[{number}].text")
        for number, block in enumerate(decision_blocks[: len(decisions)]):
            if any(_label_like(line) or _furniture_like(line) for line in block[1:]):
                # A heading inside the decision ("Expedieras till:", "Protokollsanteckning"
                # in a layout not known): where the decision ends is for the review.
                self.unsure.add(f"paragraphs[{position - 1}].decisions[{number}].text")
                self.unsure.add(f"paragraphs[{position - 1}].text")
        if any(_furniture_like(line) for block in text_blocks for line in block):
            self.unsure.add(f"paragraphs[{position - 1}].text")  # a page's head in the text?
        secret = bool(SECRECY.search(text)) or item.get("secret_mark", False)
        # "Sekretess enligt 32 kap. 3 § OSL" as a block of its own: why the § is
        # secret, not what it says.
        text = "\n\n".join(
            part
            for part in text.split("\n\n")
            if not (SECRECY.match(part.strip()) and len(part) < 90 and "\n" not in part.strip())
        )
        if secret:
            self.unsure.add(f"paragraphs[{position - 1}].is_confidential")
            self.unsure.add(f"paragraphs[{position - 1}].text")
        # "Ärendet utgick, se § 101.": on the agenda, not dealt with.
        struck = bool(STRUCK.match(text)) and not decisions
        if struck:
            self.unsure.add(f"paragraphs[{position - 1}].is_struck")
        section = self._section(item, decisions)
        if item["section"] is None and (struck or secret) and section == "information":
            # A § struck, or kept secret, with no decision read is still on the agenda
            # to be decided: a beslutsärende.
            section = "beslut"
        return {
            "position": position,
            "number": item["number"],
            "_refers": self._reference(
                item["title"] + "\n" + text + "\n" + "\n".join(d["text"] for d in decisions)
            ),
            "section": section,
            "title": item["title"],
            "text": text,
            "diarienummer": dnr,
            "is_confidential": secret,
            "public_title": item["title"] if secret else "",
            "is_struck": struck,
            "responds_to": None,
            "decisions": decisions,
            "_bilagor": item["bilagor"],
            "_sectioned": item["section"] is not None,
            "_said": "\n".join([item["title"], *item["lines"]]),
        }

    def _responsible(self, decision: dict, said: list[re.Match]) -> None:
        """The uppdrag of a decision an "Ansvarig: …" line names: the one the decision
        gave ("ge ordföranden i uppdrag att …"), else the decision itself."""
        for m in said:
            who, _comma, when = m[1].partition(",")
            due = read_date(when) or _day_in_the_year(when, self.head_facts.get("date"))
            if decision["uppdrag"]:
                u = decision["uppdrag"][0]
            else:
                what = re.sub(
                    r"^.*?\b(?:beslutade|beslutar|beslöt|beslöts|beslutades)\s+att\s+|^att\s+",
                    "",
                    decision["text"],
                    flags=re.I,
                ).rstrip(" .")
                u = {"description": what[:1].upper() + what[1:], "assignee": None, "due_date": None}
                decision["uppdrag"].append(u)
            u["assignee"] = self._person_named(who) or squash(who)
            if due:
                u["due_date"] = due.isoformat()

    def _anothers_proposal(self, line: str) -> bool:
        """Whether the line opens with a preparing body's proposal ("Arbetsutskottet
        föreslår …", "Beredningsgruppen föreslog …") in another body's protocol."""
        m = re.match(
            r"^\s*(arbetsutskottet|au|beredningsgruppen|utskottet)\s+"
            r"(?:föreslår|föreslog|rekommenderar|har föreslagit)\b",
            line,
            re.I,
        )
        kind = "beredningsgrupp" if m and m[1].lower().startswith("bered") else "arbetsutskott"
        # (When the protocol's own body is not known, it may be the proposer's own.)
        return bool(m) and self._body_kind() not in (kind, "other")

    def _reservations(self, said: str) -> list[tuple[str, str]]:
        """Who reserved themselves, and why: "A (M), B (M) och C (C) reserverar sig mot
        beslutet till förmån för eget yrkande", "… med motiveringen att …", "… med
        följande motivering: "…"", "Reservation: A"."""
        found = []
        for m in re.finditer(
            r"reserverar sig|reserverade sig|(?:anmäler|anmälde)\s+(?:sin\s+)?reservation", said
        ):
            start = max(said.rfind(". ", 0, m.start()), said.rfind("\n", 0, m.start())) + 1
            who = said[start : m.start()]
            after = said[m.end() :].split("\n")[0]
            motive = re.match(
                r"[^.\"”:]*?(?:med motiveringen att\s+|med följande motivering:?\s*[\"”]?|"
                r"(?=till förmån för\b))([^\"”]+?)[\"”]?\.?(?:[\"”]|$|\.\s)",
                after,
            )
            motivation = squash(motive[1]).rstrip(" .") if motive else ""
            if motivation:
                motivation = f"{motivation[:1].upper()}{motivation[1:]}."
            for words in re.findall(r"[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+)+", who):
                if name := self._person_named(words):
                    found.append((name, motivation))
        for m in re.finditer(r"[Rr]eservation\s*:\s*([A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)+)", said):
            if name := self._person_named(m[1]):
                found.append((name, ""))
        return found

    def _section(self, item: dict, decisions: list[dict]) -> str:
        """The heading's section; the closing items close whatever heading came last."""
        if item["section"] is None:
            return self._section_by_title(item["title"], decisions)
        if item["section"] in ("ovrigt", "beslut", "information", "diskussion") and (
            CLOSING_TITLE.search(item["title"]) and not OTHER_TITLE.match(item["title"])
        ):
            return "avslutning"
        return item["section"]

    @staticmethod
    def _section_by_title(title: str, decisions: list[dict]) -> str:
        if OPENING_TITLE.search(title):
            return "inledning"
        if OTHER_TITLE.match(title):
            return "ovrigt"
        if CLOSING_TITLE.search(title):
            return "avslutning"
        if any(d["kind"] in ("beslut", "forslag") for d in decisions):
            return "beslut"
        return "information"

    def _decision(self, text: str, to_body: str | None = None) -> dict:
        text = re.sub(
            r"^\s*(?:[\w ]{1,20}/\s*)?(beslut|förslag till beslut)\s*:\s*", "", text, flags=re.I
        )
        # "Arbetsutskottets beslut Föredragningslistan godkänns.": the label goes.
        text = re.sub(
            r"^\s*(?:[A-ZÅÄÖa-zåäö-]+a\s+)?(?:[\wåäö:]+s\s+)?beslut\s*[:.]?\s+(?=[A-ZÅÄÖ])",
            "",
            text,
        )
        kind, proposed_to = "beslut", None
        if to_body:
            kind, proposed_to = "forslag", _proposed_to(to_body)
        elif (m := PROPOSAL.search(text)) and not self._is_own_body(_proposed_to(m[4])):
            kind, proposed_to = "forslag", _proposed_to(m[4])
        elif FILED.search(text) and not re.search(r"\batt\s+\w+a\b.*\batt\b", text):
            kind = "lagges_till_handlingarna"
        if text and text[-1] not in ".:!?":
            text += "."
        return {
            "kind": kind,
            "text": text,
            "proposed_to": proposed_to,
            "vote": None,
            "uppdrag": self._uppdrag(text),
            "reservations": [],
            "jav": [],
        }

    def _uppdrag(self, text: str) -> list[dict]:
        found = []
        for m in UPPDRAG.finditer(text):
            who, what = (m[1], m[2]) if m[1] else (m[3], m[4]) if m[3] else (m[5], m[6])
            if not what:
                continue
            due = DUE.search(what)
            day = read_date(due[1]) if due else None
            if due and day:
                what = what[: due.start()]
            found.append(
                {
                    "description": squash(what).rstrip(" .,"),
                    "assignee": self._person_named(who),
                    "due_date": day.isoformat() if day else None,
                }
            )
        return found

    def _person_named(self, words: str) -> str | None:
        """The person a phrase names: a full name present, a first name of one person
        only, or a title ("förbundschefen") that one participant has."""
        words = squash(words)
        for row in self.people:
            if row["person"] and row["person"] in words:
                return row["person"]
        firsts = [r for r in self.people if r["person"].split()[0] in words.split()]
        if len(firsts) == 1:
            return firsts[0]["person"]
        for row in self.people:
            # ("Förbundschef, sekreterare": each of the titles.)
            for title in row["role_title"].casefold().split(","):
                if title.strip() and re.search(r"\b" + re.escape(title.strip()), words.casefold()):
                    return row["person"]
        return None

    def _reference(self, text: str) -> dict | None:
        m = REFERENCE.search(text)
        given = GIVEN_BY.search(squash(text))
        if m is None and given and self._body_kind() in ("arbetsutskott", "beredningsgrupp"):
            return {
                "body": "styrelse",
                "year": int(given[2]),
                "number": int(given[3]),
                "_guess": True,
            }
        prepared = PREPARED_BY.search(squash(text))
        if m is None and prepared:
            name = prepared[1]
            own = ((self.body or {}).get("name") or "").casefold()
            if name.casefold() != own and not re.match(r"(?i)(förbunds)?styrelsen$", name):
                # A body by its name: which of the organisation's, the review confirms.
                return {
                    "body": slugify(name),
                    "year": int(prepared[2] or prepared[3]),
                    "number": int(prepared[4]),
                    "_guess": True,
                }
        if m is None:
            return None
        kind = "beredningsgrupp" if m[1].lower().startswith("beredning") else "arbetsutskott"
        if kind == self._body_kind():
            return None
        return {"body": kind, "year": int(m[2]) if m[2] else None, "number": int(m[3])}

    def _is_own_body(self, body: dict) -> bool:
        if body["kind"] != "other":
            return body["kind"] == self._body_kind()
        return body["name"].casefold() == ((self.body or {}).get("name") or "").casefold()

    def _body_kind(self) -> str:
        return self.body["kind"] if self.body else "other"

    # -- the signatures --
    def read_signatures(self, tail: list[str]) -> dict:
        """Who signed as what: {"secretaries": [...], "chair": name, "justerare": [...]}."""
        found = {"secretaries": [], "chair": None, "justerare": []}
        labels: list[tuple[str, int]] = []  # (role, column start) of the last label line
        lines = [raw for raw in tail if raw.strip() and not DOTTED.match(raw)]
        # Whether the line before was a line of labels for the names below it (a line
        # of labels under a line of names is that line's, not the next one's).
        after_labels = after_names = False
        for index, raw in enumerate(lines):
            marks = list(SIGNATURE_LABEL.finditer(raw))
            labels_above = after_labels
            after_labels, after_names = bool(marks) and not after_names, not marks
            columns = [c for c in re.split(r"\s{3,}|\t+", raw.strip()) if c]
            with_roles = [
                re.fullmatch(r"([A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,3})(?:\s*,\s*(.+))?", c)
                for c in columns
            ]
            if marks and all(with_roles) and any(m[2] for m in with_roles):
                # "Bo Hedlund, mötesordförande      Jan-Erik Backlund" under "Justeras":
                # each name with its own role, else the label's above.
                for m in with_roles:
                    said = SIGNATURE_LABEL.search(m[2] or "")
                    role = _role(said[1]) if said else labels[0][0] if labels else None
                    if role:
                        self._signed(found, role, [m[1]])
                after_labels, after_names = False, True
                continue
            if marks:
                labels = [(_role(m[1]), m.start()) for m in marks]
                # "Ordförande ........": a line to sign on, not a name.
                rest = re.sub(r"[.…_·]{2,}", " ", raw[marks[-1].end() :]).strip(" :,")
                if (
                    re.search(r"[A-ZÅÄÖÉ][\w-]+", rest)
                    and not re.search(r"\d", rest)  # "Justeras  Grenby den 15 mars 2005"
                    and not SIGNATURE_LABEL.search(rest)
                    and len(marks) == 1
                ):
                    self._signed(found, labels[0][0], [rest])
                continue
            names = self._names_in(raw)
            if not names:
                continue
            # Names printed above their role labels ("Anna Ek   Bo Ek" over
            # "Ordförande   Justerare"): the line below names their roles.
            below = lines[index + 1] if index + 1 < len(lines) else ""
            under = list(SIGNATURE_LABEL.finditer(below))
            if not labels_above and under and not SIGNATURE_LABEL.sub("", below).strip(" :.\t"):
                roles = [_role(m[1]) for m in under]
                if len(roles) == 1:
                    roles = roles * len(names)
                if len(roles) == len(names):
                    for name, role in zip(names, roles, strict=True):
                        self._signed(found, role, [name])
                    continue
            if not labels:
                continue
            if len(labels) == 1:
                self._signed(found, labels[0][0], names)
            else:
                for name in names:
                    start = raw.find(name)
                    # The label whose column is nearest to the name's.
                    role = min(labels, key=lambda lab: abs(lab[1] - start))[0]
                    if len(names) == len(labels):
                        role = labels[names.index(name)][0]
                    self._signed(found, role, [name])
        return found

    @staticmethod
    def _signed(found: dict, role: str, names: list[str]) -> None:
        for name in names:
            name = squash(name).strip(" ,")
            if not name:
                continue
            if role == "secretary" and name not in found["secretaries"]:
                found["secretaries"].append(name)
            elif role == "chair" and not found["chair"]:
                found["chair"] = name
            elif role == "justerare" and name not in found["justerare"]:
                found["justerare"].append(name)

    def _names_in(self, line: str) -> list[str]:
        known = sorted({r["person"] for r in self.people}, key=len, reverse=True)
        names, rest = [], line
        for name in known:
            if name in rest:
                names.append(name)
                rest = rest.replace(name, " " * len(name))
        for column in re.split(r"\s{3,}|\t+", rest):
            column = squash(column).strip(" ,")
            if re.match(r"^[A-ZÅÄÖÉ][\w-]+(\s+[A-ZÅÄÖÉ][\w-]+){1,3}$", column) and not (
                SIGNATURE_LABEL.search(column)
            ):
                names.append(column)
        return sorted(names, key=lambda n: line.find(n))


# A title of the staff, not of a member ("förbundschef", "verksamhetsutvecklare"); not
# an association's officers ("sekreterare", "kassör"), who are members.
STAFF_TITLE = re.compile(
    r"\b(förbundschef|förbundsdirektör|kommunchef|kommundirektör|ekonom|controller|"
    r"handläggare|processledare|verksamhetsutvecklare|nämndsekreterare|kommunsekreterare|"
    r"förvaltningschef|utredare|koordinator)\b",
    re.I,
)


def _listed_people(line: str, *, grouped: bool = False) -> list[str]:
    """The people of a line that lists them ("A (ordf.), B (v. ordf.), C samt D";
    "A, förbundschef; B, sekreterare"), or [] when it is one person's line."""
    if ";" in line:
        parts = [p.strip(" .") for p in line.split(";")]
        parts = [p for p in parts if p]
        if len(parts) >= 2:
            return parts
    parts = [p.strip(" .") for p in LIST_SEPARATOR.split(line) if p and p.strip(" .")]
    # ("Eva Lind (M), Region Väst" is one person and her member organisation.)
    # (Under "Ledamöter (FP):" two names are two people: the party is the heading's.)
    said_a_list = (
        len(parts) >= 3
        or re.search(r"\s(samt|och)\s", line)
        or grouped
        # "Gunnel Strand (vice ordförande), Henrik Dahl (suppleant)": two, each with its role
        or all(
            re.fullmatch(r"[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2}\s*\([^)]*\)", p)
            for p in parts
        )
        or all(POLITICAL.search(f" {p} ") for p in parts)  # "Ann Jönsson (M), Lena Hult (KD)"
    )
    if (
        said_a_list
        and all(LISTED_PERSON.match(p) for p in parts)
        and not any(NOT_A_PERSON.search(p) for p in parts)
    ):
        return parts
    return []


ROLE_ABBREVIATIONS = {"ordf": "ordförande", "sekr": "sekreterare", "v ordf": "vice ordförande",
                      "vice ordf": "vice ordförande", "kassor": "kassör",
                      "suppl": "suppleant", "ers": "ersättare"}  # fmt: skip


def role_title(said: str) -> str:
    """A role as a title: "v. ordf." is "Vice ordförande", "1:e v ordf" "1:e vice
    ordförande", "sekr." "Sekreterare"."""
    said = squash(said).strip(" ,.()")
    if not said:
        return ""
    m = re.fullmatch(r"(\d:e\s+)?(.+)", said)
    prefix, word = m[1] or "", m[2]
    key = re.sub(r"[.\s]+", " ", word.casefold()).strip()
    word = ROLE_ABBREVIATIONS.get(key, word)
    title = f"{prefix}{word}"
    if re.fullmatch(r"(ordinarie\s+)?ledamot", title, re.I):
        return ""  # a member, no title (as "Ersättare" is the capacity)
    return title[:1].upper() + title[1:]


_BODY_LABEL = {"styrelse": "Styrelsen", "agarsamrad": "Ägarsamrådet", "arbetsutskott":
               "Arbetsutskottet", "beredningsgrupp": "Beredningsgruppen", "other": "Organet"}  # fmt: skip
_BODY_SLUG = {"styrelse": "styrelse", "agarsamrad": "agarsamrad", "arbetsutskott": "arbetsutskott",
              "beredningsgrupp": "beredningsgrupp", "other": "organ"}  # fmt: skip


def _proposed_to(word: str) -> dict:
    """The body a proposal goes to: the organisation's own by kind ("styrelsen"), or
    another by its name ("kommunfullmäktige" is Kommunfullmäktige, of no kind here)."""
    kind = _kind_of(word)
    if word.casefold() in ("styrelsen", "förbundsstyrelsen", "ägarsamrådet", "medlemssamrådet"):
        return {"name": _BODY_LABEL[kind], "slug": _BODY_SLUG[kind], "kind": kind}
    name = word[:1].upper() + word[1:].casefold()
    return {"name": name, "slug": slugify(name), "kind": kind}


def _kind_of(word: str) -> str:
    word = word.casefold()
    if "styrelse" in word:
        return "styrelse"
    if "samråd" in word:
        return "agarsamrad"
    return "other"


def _role(label: str) -> str:
    label = label.casefold()
    if label in ("vid protokollet", "sekreterare", "protokollförare"):
        return "secretary"
    if label.startswith("juster"):
        return "justerare"
    return "chair"


def _blank_before(lines: list[str], i: int) -> bool:
    return i == 0 or not lines[i - 1].strip()


def _double_spaced(lines: list[str]) -> bool:
    """Whether the text has a blank line after nearly every line (as text copied out
    of some PDFs has): then only two blank lines part paragraphs."""
    gaps, blank = [], None
    for line in lines:
        if line.strip():
            if blank is not None:
                gaps.append(blank)
            blank = 0
        elif blank is not None:
            blank += 1
    return len(gaps) >= 6 and sum(1 for g in gaps if g == 0) < 0.15 * len(gaps)


def _blocks(lines: list[str], double: bool) -> list[list[str]]:
    """The lines in blocks (paragraphs of text): a blank line parts them, or two
    where the text is double spaced; a sub-item ("a. …") or a decision starts one."""
    blocks: list[list[str]] = []
    current: list[str] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        ends_sentence = bool(current) and current[-1].rstrip().endswith((".", ":", "?", "!"))
        # (A decision's words inside a sentence broken over lines start no block:
        # "… Styrelsen" / "föreslås sammanträda fem gånger".)
        after_a_label = bool(current) and bool(
            DECISION_LABEL.match(current[-1]) or PROPOSAL_LABEL.match(current[-1])
        )
        sentence_starts = not current or ends_sentence or after_a_label
        starts = (
            TEXT_LABEL.match(line)
            or ((NOTE.match(line) or STATEMENT.match(line)) and sentence_starts)
            or SUB_ITEM.match(line)
            or (DECISION_START.match(line) and (sentence_starts or line.strip()[:1].isupper()))
            or DECISION_LABEL.match(line)
            or PROPOSAL_LABEL.match(line)
        )
        ends_sentence = bool(current) and current[-1].rstrip().endswith((".", ":", "?", "!"))
        gap = blanks >= (2 if double else 1)
        # (A sentence going on in lower case after a page break is the same block.)
        goes_on = not ends_sentence and line.strip()[:1].islower()
        if current and (starts or (gap and ends_sentence) or (gap and not double and not goes_on)):
            blocks.append(current)
            current = []
        current.append(line.strip())
        blanks = 0
    if current:
        blocks.append(current)
    return blocks


def _furniture_like(line: str) -> bool:
    """A line that reads as a page's head or foot left in the text: capitals only
    over two words ("LÖNNBY KOMMUN"), a page's number ("3 (16)", "Sida 2")."""
    line = squash(line)
    return bool(
        (re.fullmatch(r"[A-ZÅÄÖ][A-ZÅÄÖ\s&–-]{6,}", line) and len(line.split()) >= 2)
        or re.search(
            r"(\s\d{1,3}\s*\(\s*\d{1,3}\s*\)|\bsida\s+\d+(\s+av\s+\d+)?)\s*\.?$", line, re.I
        )
    )


def _reads_as_a_sentence(said: str) -> bool:
    """What follows a title's dash is its text, not the title's second part: it ends a
    sentence, says what was done ("valdes", "ströks", "beslutade") or when (the next
    meeting's day); "Yttrande över remiss – Regional transportplan 2018–2029" is a title."""
    return (
        said.rstrip().endswith(".")
        or bool(re.search(r"\b[a-zåäö]+(ades|ade|des|tes|ks|gs|ogs)\b", said))
        or bool(TIME.search(said))
    )


def _label_like(line: str) -> bool:
    """A short line that reads as a heading or a label, not as a sentence's part."""
    line = squash(line)
    return bool(
        re.fullmatch(r"[A-ZÅÄÖ][\wåäö ,/–-]{2,38}:?", line)
        and len(line.split()) <= 4
        and not ATT_CLAUSE.match(line)
        and not SUB_ITEM.match(line)
        and not re.search(r"\d", line)
    )


def _join(block: list[str]) -> str:
    """A block's lines as text: broken lines joined with a space; bullets and
    sub-item headings ("a. Viljeinriktning Bilaga 2") on lines of their own."""
    parts: list[list] = []  # [text, starts a line of its own]
    own_line_next = False
    for line in block:
        line = squash(line)
        if bullet := BULLET.match(line):
            # The bullet as printed ("•", "-", "–"): the text is the original's.
            parts.append([f"{bullet[0].strip()} " + BULLET.sub("", line), True])
            own_line_next = False
        elif SUB_ITEM.match(line) and len(line) < 80 and not line.endswith("."):
            b = BILAGA_AT_END.search(line)
            parts.append([f"{line[: b.start()].strip()} (Bilaga {b[1]})" if b else line, True])
            own_line_next = True  # the sub-item's text begins on the next line
        elif parts and not own_line_next:
            parts[-1][0] += " " + line
        else:
            parts.append([line, own_line_next])
            own_line_next = False
    text = ""
    for part, own_line in parts:
        text += ("\n" if own_line and text else (" " if text else "")) + part
    return text.strip()


def _move_dnr_to_the_next(items: list[dict]) -> None:
    """ "Dnr 2015-012" on the line above a § heading is that §'s, not the last line of
    the § before it."""
    for item, following in itertools.pairwise(items):
        lines = item["lines"]
        last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
        if last is not None and re.fullmatch(
            r"\s*(dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\.?\s*:?\s*\S+\s*",
            lines[last],
            re.I,
        ):
            following["lines"].insert(0, lines.pop(last).strip())


def _diarienummer(text: str) -> str:
    m = re.search(
        r"\b(?:dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr|dnr\.)\s*:?\s*"
        r"([A-ZÅÄÖ]{0,5}[\s.]?\d{2,4}[/.:-]\d{1,6}(?!\d)(?:[/-]\d+)?)",
        text,
        re.IGNORECASE,
    )
    if m is None:  # "Dnr 23RUN0045": a register's own form
        m = re.search(
            r"\b(?:dnr|diarienummer|diarienr|ärendenummer|ärendenr|ärende nr)\.?\s*:?\s*(\d{2}[A-ZÅÄÖ]{2,5}\d{3,6})\b",
            text,
            re.I,
        )
    if m is None:
        # "KS 2022/21" on the heading's line or the first lines: the field without its label.
        m = re.search(r"^\s*([A-ZÅÄÖ]{1,6}\s+\d{4}[/.]\d{1,5})(?:\s|$)", text, re.MULTILINE)
    return m[1].strip() if m else ""


def parse(
    text: str,
    *,
    organisation: dict | None = None,
    body: dict | None = None,
    filename: str = "",
    running_heads: str = "",
) -> Parsed:
    """The protocol in `text` as a paragraf.protocol document. `organisation` and
    `body` ({name, slug, organisation_number/kind}) are given when known (the
    installation's); otherwise they are read from the text, marked unsure.
    ValueError (Swedish) when the text is not a protocol."""
    reader = _Reader(text, organisation=organisation, body=body)
    head, paragraphs_region, tail = reader.regions()
    reader.body = body or _find_body(text, head, running_heads)
    reader.read_head(head)
    paragraphs = reader.read_paragraphs(paragraphs_region)
    signed = reader.read_signatures(tail)
    return _document(reader, paragraphs, signed, organisation, running_heads)


def _find_body(text: str, head: list[str], running_heads: str) -> dict:
    if named := names.body(text.split("\n"), running_heads):
        name, kind = named
        return {"name": name, "slug": slugify(name), "kind": kind, "_unsure": True}
    region = "\n".join(head + running_heads.split("\n")) or text[:2000]
    best = None
    for pattern, kind, name in BODY_NAMES:
        m = pattern.search(region)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, name)
    if best is None:
        return {"name": "", "slug": "", "kind": "other", "_unsure": True}
    return {"name": best[2], "slug": best[1], "kind": best[1], "_unsure": True}


def _find_organisation(text: str, running_heads: str) -> dict:
    if named := names.organisation(text.split("\n"), running_heads):
        slug = slugify(named.replace("Samordningsförbundet", "").strip())
        return {
            "name": named,
            "slug": slug,
            "organisation_number": "",
            "website": "",
            "_unsure": True,
        }
    m = ORGANISATION.search(text if ORGANISATION.search(text) else running_heads)
    words = []
    for word in m[1].split() if m else []:
        if words and NOT_IN_A_NAME.match(word):
            break
        words.append(word)
    name = " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in words)
    slug = slugify(name.replace("Samordningsförbundet", "").strip()) if name else ""
    return {"name": name, "slug": slug, "organisation_number": "", "website": "", "_unsure": True}


STRUCK = re.compile(r"^\s*(?:ärendet\s+|punkten\s+)?(?:utgår|utgick|avförs|avfördes|stryks|ströks)\b",
                    re.IGNORECASE)  # fmt: skip
SECRECY = re.compile(
    r"\bsekretess\s+enligt\b|\bomfattas av sekretess\b|\bsekretessbelag|\btystnadsplikt\b|"
    r"\b(?:inte|ej)\s+(?:är\s+)?offentlig\b|"
    r"offentlighets-\s*och\s+sekretesslagen|\bOSL\b",
    re.IGNORECASE,
)
# What a § says that its decisions should then hold: when they do not, the reading
# missed it, and the review must look (rather too many marks than a silent miss).
SAID_IN_A_DECISION = {
    "reservations": re.compile(r"\breserv", re.I),
    "jav": re.compile(r"\bjäv", re.I),
    "vote": re.compile(
        r"omröstning|votering|\bröstade\b|\bröst(er)?\s+(för|mot)\b|ja-röst|nej-röst", re.I
    ),
    "uppdrag": re.compile(r"\buppdrag|\buppdra\b|\bi uppdrag\b|\bansvarar\b|\bsenast\b", re.I),
}


# Words a § uses when something was decided: with no decision read, the reading missed it.
DECIDED_WORDS = re.compile(
    r"\b(beslutar|beslutade|beslöt|beslutades|beslöts|förklarar|förklarades|utses|utsågs|"
    r"väljs|valdes|godkänns|godkändes|fastställs|fastställdes|läggs till handlingarna|"
    r"lades till handlingarna|bordläggs|bordlades|återremitteras|hålls den|godkänner|"
    r"fastställer|antar|beviljar|avslår|tillstyrker|uppdrar|får i uppdrag|ges i uppdrag)\b",
    re.IGNORECASE,
)
# A § about one person (a member's, a client's case): perhaps kept secret.
ABOUT_ONE_PERSON = re.compile(
    r"\b(enskild (medlem|person|individ)|personärende|medlemsärende|individärende|"
    r"särskilt protokoll|särskild bilaga)\b",
    re.IGNORECASE,
)
# Another body's § named in the text ("Kommunstyrelsen 2007-05-21 § 78").
NAMES_A_PARAGRAPH = re.compile(r"\b[A-ZÅÄÖ][\wåäö]+\s+(?:\d{4}-\d{2}-\d{2}\s*)?§\s*\d+")


# A sentence of a decision saying what someone will do: "Jenny gör en ny städlista.",
# "Kjell-Åke lånar släpkärra" (a name, then a verb in the present).
SOMEONE_DOES = re.compile(
    r"(?:^|[.!?]\s+)([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)\s+"
    r"(?!(?:är|har|var|blir|kan|ska|skall|får|bör|gäller|avser|innebär|beslutar|föreslår)\b)"
    r"([a-zåäö]+(?:ar|er|ör|år))\b"
)


def _someone_does(text: str) -> bool:
    return any(
        not re.fullmatch(rf"(?:{DECIDING})", m[1], re.I) and not NOT_A_PERSON.search(m[1])
        for m in SOMEONE_DOES.finditer(text)
    )


def _mark_doubtful_decisions(paragraphs: list[dict], unsure: set[str]) -> None:
    for index, p in enumerate(paragraphs):
        said = p.pop("_said")
        decisions = p["decisions"]
        doubtful = len(decisions) > 1 or (p["section"] == "beslut" and not decisions)
        if not decisions and DECIDED_WORDS.search(said):
            doubtful = True
        if ABOUT_ONE_PERSON.search(said) and not p["is_confidential"]:
            unsure.add(f"paragraphs[{index}].is_confidential")
            unsure.add(f"paragraphs[{index}].text")
        if p["responds_to"] is None and NAMES_A_PARAGRAPH.search(said):
            unsure.add(f"paragraphs[{index}].responds_to")
        if len(p["title"]) > 80 or re.search(r"\s[a-z]\)\s", p["title"]):
            unsure.add(f"paragraphs[{index}].title")  # a title that took the text with it
        for key, mentioned in SAID_IN_A_DECISION.items():
            if mentioned.search(said) and not any(d.get(key) for d in decisions):
                doubtful = True
        if doubtful:
            unsure.add(f"paragraphs[{index}].decisions")
            if not decisions:
                unsure.add(f"paragraphs[{index}].text")  # where a decision not found went
        if re.search(r"\(bilaga\)|\bbilaga(?![\s\d]*\d)(?=\s*[).,:])", said, re.I):
            unsure.add("bilagor")  # "(bilaga)": a bilaga without its number
        for number, d in enumerate(decisions):
            if not d["uppdrag"] and _someone_does(d["text"]):
                # "Jenny gör en ny städlista.": an uppdrag said as what someone does.
                unsure.add(f"paragraphs[{index}].decisions[{number}].uppdrag")
            if re.search(r"[.!?]\s+(?:Ordföranden|Sekreteraren|[A-ZÅÄÖ][\wåäö-]+\s+[A-ZÅÄÖ][\wåäö-]+)"
                         r"\s+(?:anmälde|meddelade|informerade|redogjorde|påpekade|tackade)\b",
                         d["text"]):  # fmt: skip
                # "… vid stämman. Ordföranden anmälde att …": a sentence after the
                # decision that tells, not decides: where the decision ends, the review.
                unsure.add(f"paragraphs[{index}].decisions[{number}].text")
                unsure.add(f"paragraphs[{index}].text")
            # An uppdrag is read out of prose (who, what, by when): always for the review.
            if d["uppdrag"]:
                unsure.add(f"paragraphs[{index}].decisions[{number}].uppdrag")
            if d["kind"] == "forslag" and d["proposed_to"] and d["proposed_to"]["kind"] == "other":
                unsure.add(f"paragraphs[{index}].decisions[{number}].proposed_to")


def _document(
    reader: _Reader, paragraphs: list[dict], signed: dict, organisation, running_heads: str
):
    # Each part is read in this order because its warnings are shown in this order.
    org, body = _organisation_and_body(reader, organisation, running_heads)
    chair = _chair(reader, paragraphs, signed)
    justerare = _justerare(reader, paragraphs, signed, chair)
    secretaries = _secretaries(reader.head_facts, reader.people, signed)
    _mark_missing(reader, chair, justerare, secretaries)
    attendance = _attendance(reader, paragraphs)
    _mark_people_the_attendance_lacks(reader, attendance, paragraphs, chair, justerare)
    bilagor = _bilagor(paragraphs, reader.unsure, reader.bilaga_titles)
    _link_answered_paragraphs(paragraphs, reader.head_facts.get("date"), reader.unsure)
    _mark_unsectioned(paragraphs, reader.unsure)
    _mark_doubtful_decisions(paragraphs, reader.unsure)
    meeting = _meeting(reader, paragraphs, justerat=bool(justerare or signed["chair"]))
    _warn_unnumbered_opening(reader)
    if reader.numbered_items:
        reader.unsure.add("paragraphs")
        reader.warnings.append(
            _("The items are numbered without §: check that their numbers are the §'s.")
        )
    _warn_numbering_gaps(paragraphs, reader.warnings)
    date = reader.head_facts.get("date")
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "organisation": org,
        "body": body,
        "meeting": meeting,
        "chair": chair,
        "secretaries": secretaries,
        "justerare": justerare,
        "attendance": attendance,
        "paragraphs": paragraphs,
        "bilagor": bilagor,
        # (Read from the lines as the reader put them back: a flattened head's label
        # beside its value again.)
        "history": _history(
            reader.text + "\n" + "\n".join(reader.lines), date, reader.warnings, reader.unsure
        ),
    }
    _mark_what_secrecy_decides(document, reader.unsure)
    return Parsed(document, reader.warnings, reader.unsure, reader.text)


def _mark_what_secrecy_decides(document: dict, unsure: set[str]) -> None:
    """Whether a § is secret decides its public title and whether its bilagor are
    public: unsure of the one, the review checks the others too."""
    for index, p in enumerate(document["paragraphs"]):
        if f"paragraphs[{index}].is_confidential" not in unsure:
            continue
        unsure.add(f"paragraphs[{index}].public_title")
        for number, b in enumerate(document["bilagor"]):
            if b["paragraph"] == p["position"]:
                unsure.add(f"bilagor[{number}].is_public")


def _organisation_and_body(
    reader: _Reader, organisation: dict | None, running_heads: str
) -> tuple[dict, dict]:
    """The installation's when known; read from the text, they are for the review to confirm."""
    org = dict(organisation) if organisation else _find_organisation(reader.text, running_heads)
    body = dict(reader.body)
    for part, data in (("organisation", org), ("body", body)):
        if data.pop("_unsure", False):
            reader.unsure.add(part)
    return org, body


def _chair(reader: _Reader, paragraphs: list[dict], signed: dict) -> str | None:
    """Marked in the attendance, else signed, else in the head; a guess from the text is unsure."""
    people = reader.people
    chair = next((r["person"] for r in people if r["chair"]), None)
    chair = chair or signed["chair"] or _full_name(reader.head_facts.get("chair_head"), people)
    if chair is None:
        chair = _chair_from_text(paragraphs, people)
        if chair:
            reader.unsure.add("chair")
    return chair


def _justerare(
    reader: _Reader, paragraphs: list[dict], signed: dict, chair: str | None
) -> list[str]:
    """Who signed, else who was chosen ("Val av justerare"); if they differ, the review decides."""
    facts = reader.head_facts
    chosen = _justerare_chosen(
        paragraphs,
        reader.people,
        chair,
        " ".join(
            [
                facts.get("justerare_head") or "",
                *[x for x in facts.get("opening", []) if "juster" in x],
            ]
        ),
    )
    justerare = signed["justerare"] or chosen
    if set(chosen) == set(justerare):
        justerare = chosen  # in the order they were chosen, not signed
    justerare = [n for n in justerare if n != chair]
    if (
        chosen
        and signed["justerare"]
        and set(chosen) - {chair} != set(signed["justerare"]) - {chair}
    ):
        reader.warnings.append(
            _("The justerare chosen (%(chosen)s) are not those who signed (%(signed)s).")
            % {"chosen": ", ".join(chosen), "signed": ", ".join(signed["justerare"])}
        )
        reader.unsure.add("justerare")
    return justerare


def _secretaries(facts: dict, people: list[dict], signed: dict) -> list[str]:
    """Who signed "Vid protokollet", else the head's Sekreterare, else whose title says so."""
    return (
        signed["secretaries"]
        or ([squash(facts["secretary_head"])] if facts.get("secretary_head") else [])
        or [
            r["person"]
            for r in people
            if re.search(r"\b(sekreterare|protokollförare)\b", r["role_title"], re.I)
        ]
    )


def _mark_missing(
    reader: _Reader, chair: str | None, justerare: list[str], secretaries: list[str]
) -> None:
    """What a protocol always has: when it is not found, the review must say so."""
    unsure = reader.unsure
    if not secretaries or len(secretaries) > 1:
        # (Two names under "Vid protokollet   Justeras": which signed as what?)
        unsure.add("secretaries")
    if chair is None:
        unsure.add("chair")
    if not justerare:
        unsure.add("justerare")
    if not any(r["capacity"] == "beslutande" for r in reader.people):
        unsure.add("attendance")


_ATTENDANCE_FIELDS = (
    "person",
    "capacity",
    "party",
    "role_title",
    "substitutes_for",
    "present_from",
    "present_until",
)


def _attendance(reader: _Reader, paragraphs: list[dict]) -> list[dict]:
    """One row a person, as first named (a name may recur in the signatures' columns)."""
    by_number = {p["number"]: p["position"] for p in paragraphs}
    attendance = []
    seen = set()
    for row in reader.people:
        if row["person"] in seen:
            continue
        seen.add(row["person"])
        a = {k: row[k] for k in _ATTENDANCE_FIELDS}
        if ORGANISATION_WORD.search(a["person"]) or (
            a["party"] and re.fullmatch(r"[A-ZÅÄÖÉ][\w-]+ [A-ZÅÄÖÉ][\w-]+,.*", a["party"])
        ):
            # "Norrviks kommun Birgitta Strand", or a person where the party stands.
            reader.unsure.add(f"attendance[{len(attendance)}].person")
            reader.unsure.add(f"attendance[{len(attendance)}].party")
        odd = re.search(r"\d|§|\bnärvar", a["person"] + " " + a["role_title"], re.I)
        # What a row says of presence or serving, left in its party or title: "Hällesta
        # kommun, ersättare", "…, tjänstgörande ersättare för", "Ekonomichef, Dir".
        said_more = re.search(
            r",\s*(ersättare|suppleant|tjänstgör\w*|för\b|deltar|via\b|[A-ZÅÄÖ][a-zåäö]{1,3}$)",
            f"{a['party'] or ''} | {a['role_title']}",
        )
        if (
            odd
            or said_more
            or len(a["person"].split()) > 4
            or (a["party"] and re.search(r"\d|§", a["party"]))
        ):
            # A row that took what the table says of presence ("Ledamot  Närvarande").
            for key in ("person", "role_title", "party", "capacity"):
                reader.unsure.add(f"attendance[{len(attendance)}].{key}")
        title = a["role_title"]
        if title.count("(") != title.count(")") or re.search(r"\bersättare\b", title, re.I):
            # "Arbetsmarknadschef (via Teams", "Ersättare, Försäkringskassan": a title
            # that took what the row says of the presence or the capacity.
            for key in ("role_title", "capacity", "party", "present_from", "present_until"):
                reader.unsure.add(f"attendance[{len(attendance)}].{key}")
        for key in row.get("unsure_fields", ()):
            reader.unsure.add(f"attendance[{len(attendance)}].{key}")
        if row.get("unsure_party") or (row.get("political") and not a["party"]):
            # "(S)": a political party where the reader expects a member organisation.
            reader.unsure.add(f"attendance[{len(attendance)}].party")
        if "absent_at" in row:
            _present_but_at(reader, a, row["absent_at"], len(attendance), by_number)
        if "chaired_at" in row:  # who chaired which § is for the review to write
            reader.unsure.add(f"attendance[{len(attendance)}].role_title")
            reader.warnings.append(
                _("%(name)s: %(mark)s (chairing part of the meeting) is for you to check.")
                % {"name": a["person"], "mark": row["chaired_at"]}
            )
        _presence_by_position(reader, a, len(attendance), by_number)
        attendance.append(a)
    return attendance


# "Lena Forsgren (M) yrkar …": someone of a party, named in a § text.
NAMED_WITH_A_PARTY = re.compile(
    r"([A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+)+)\s+\((?:S|M|C|V|L|KD|MP|SD|FP|Kd|Mp|Sd)\)"
)


def _mark_people_the_attendance_lacks(
    reader: _Reader, attendance: list[dict], paragraphs: list[dict], chair, justerare
) -> None:
    """The protocol checked against itself: who chaired and justerade, who speaks
    with a party in the § texts, and how many voted should all be in the attendance
    that was read. When they are not, the reading of the attendance is doubtful."""
    names = {a["person"] for a in attendance}
    deciding = [a for a in attendance if a["capacity"] in ("beslutande", "tjanstgorande_ersattare")]
    doubtful = False
    if chair and chair not in names:
        doubtful = True
        reader.unsure.add("chair")
    if chair and any(a["person"] == chair and a["capacity"] != "beslutande" for a in attendance):
        doubtful = True
    for name in justerare:
        if name not in names:
            doubtful = True
            reader.unsure.add("justerare")
    said = "\n".join(
        [p["text"] for p in paragraphs] + [d["text"] for p in paragraphs for d in p["decisions"]]
    )
    for m in NAMED_WITH_A_PARTY.finditer(said):
        words = m[1].split()
        # ("Ordföranden Anna Ek (S)": the name is the last two or three words.)
        if not any(" ".join(words[i:]) in names for i in range(len(words) - 1)):
            doubtful = True
    for index, p in enumerate(paragraphs):
        for number, d in enumerate(p["decisions"]):
            vote = d["vote"]
            if vote and vote["for"] + vote["against"] + (vote["abstaining"] or 0) > len(deciding):
                doubtful = True
                reader.unsure.add(f"paragraphs[{index}].decisions[{number}].vote")
    if doubtful:
        reader.unsure.add("attendance")
        reader.warnings.append(
            _(
                "The attendance as read does not hold everyone the protocol names as "
                "chairing, justerare, speaking or voting: check it against the text."
            )
        )


def _present_but_at(reader: _Reader, a: dict, absent: tuple[int, int], index, by_number) -> None:
    """ "ej § 91-97": present at every § but those. One span of presence is what a
    row holds: absent at the first § (or the last ones) is present from (until) the
    § beside it; absent in the middle is for the review."""
    first, last = absent
    numbers = sorted(by_number)
    if numbers and first <= numbers[0] and last < numbers[-1]:
        a["present_from"] = last + 1
    elif numbers and last >= numbers[-1] and first > numbers[0]:
        a["present_until"] = first - 1
    else:
        reader.unsure.add(f"attendance[{index}].present_from")
        reader.unsure.add(f"attendance[{index}].present_until")
        reader.warnings.append(
            _("%(name)s was not present at § %(first)s–%(last)s: check the presence.")
            % {"name": a["person"], "first": first, "last": last}
        )


def _presence_by_position(reader: _Reader, a: dict, index: int, by_number: dict) -> None:
    """The text names a § by number, the format by position; a § not held is for the
    review. Present from the first § (until the last) is present throughout."""
    numbers = sorted(by_number)
    if numbers and a["present_from"] == numbers[0]:
        a["present_from"] = None
    if numbers and a["present_until"] == numbers[-1]:
        a["present_until"] = None
    for key in ("present_from", "present_until"):
        if a[key] is not None:
            if a[key] not in by_number:
                reader.warnings.append(
                    _("%(name)s: § %(n)s is not in the protocol.")
                    % {"name": a["person"], "n": a[key]}
                )
                reader.unsure.add(f"attendance[{index}].{key}")
            a[key] = by_number.get(a[key])


# What a sentence says before the name of a bilaga it mentions ("… har tagit fram ett
# förslag till yttrande, bilaga 3"): up to here, the words are not the bilaga's.
BEFORE_A_BILAGA_TITLE = re.compile(
    r"^.*(?:\b(?:över|redovisar|föredrar|presenterar|har\s+\w+)\s+|[:;]\s*)", re.I
)


def _bilaga_title(text: str, mention: re.Match) -> str:
    """The title a text gives a bilaga beside its mention: after it ("se bilaga 1
    Internbudget 2015", "(bilaga 2, Verksamhetsberättelse 2020 – utkast)"), or before
    it ("Kostnadskalkyl Norrgärdets förskola, bilaga 2"; "… tagit in en offert från
    Möbelhuset i Sörby, bilaga 2"); "" when it gives none. Always for the review."""
    after = re.match(r"^,?\s+([A-ZÅÄÖ][^.()]*?)(?:\)|\.(?:\s|$)|$)", text[mention.end() :])
    if (
        after
        and not DECISION_START.match(after[1])
        and len(after[1]) <= 80
        and not re.match(r"^(förslaget|förbrukningen|arbetsutskottet|styrelsen)\b", after[1], re.I)
    ):
        return after[1].strip(" ,")
    before = text[: mention.start()]
    if earlier := list(BILAGA_MENTION.finditer(before)):
        before = before[earlier[-1].end() :]  # "… attestordningen, Bilaga 3, och …"
    if not re.search(r"(,|\(|\s)\s*$", before) or before.rstrip(" ,(").endswith((".", "!", "?")):
        return ""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", before.rstrip(" ,("))[-1]
    if re.search(r"\b(enligt|se|i|av)\s*$", sentence, re.I):
        return ""  # "… enligt bilaga 1": the title is said elsewhere
    sentence = re.sub(r"^,?\s*(och|samt)\s+", "", sentence)
    if article := list(re.finditer(r"\b(en|ett|nytt|nya)\s+", sentence)):
        phrase = sentence[article[-1].end() :]
    elif BEFORE_A_BILAGA_TITLE.match(sentence):
        phrase = BEFORE_A_BILAGA_TITLE.sub("", sentence, count=1)
    elif len(sentence) <= 60 and sentence[:1].isupper():
        phrase = sentence
    else:
        return ""
    phrase = phrase.strip(" ,(")
    if not phrase or len(phrase) > 80 or not re.search(r"[a-zåäö]", phrase):
        return ""
    return phrase[:1].upper() + phrase[1:]


def _bilagor(paragraphs: list[dict], unsure: set[str], listed: dict[int, str]) -> list[dict]:
    """A bilaga named in several § is one bilaga, belonging to the first § that names
    it; a title read from the text around its mention is for the review."""
    bilagor, numbers, guessed = [], set(), set()
    for p in paragraphs:
        for number, title, sure in p.pop("_bilagor"):
            if number in numbers:
                continue
            numbers.add(number)
            if number in listed:  # the list of the bilagor names it
                title, sure = listed[number], True
            if not sure:
                guessed.add(number)
            bilagor.append(
                {
                    "number": number,
                    "title": title,
                    "paragraph": p["position"],
                    # No file comes with a legacy protocol; one attached later
                    # is public unless the paragraph is confidential.
                    "is_public": not p["is_confidential"],
                    "title_is_public": False,
                    "filename": "",
                    "sha256": None,
                }
            )
    bilagor.sort(key=lambda b: b["number"])
    for index, b in enumerate(bilagor):
        if b["number"] in guessed:
            unsure.add(f"bilagor[{index}].title")
    return bilagor


def _link_answered_paragraphs(
    paragraphs: list[dict], date: datetime.date | None, unsure: set[str]
) -> None:
    """ "AU § 37" without a year means this year's: the meeting's date gives it. A
    deciding body named by what it gave ("Direktionen gav … § 58") is a guess."""
    for index, p in enumerate(paragraphs):
        refers = p.pop("_refers")
        if refers and refers.get("_guess"):
            unsure.add(f"paragraphs[{index}].responds_to")
        if refers:
            year = refers["year"] or (date.year if date else None)
            if year:
                p["responds_to"] = {
                    "body": refers["body"],
                    "year": year,
                    "number": refers["number"],
                }


def _mark_unsectioned(paragraphs: list[dict], unsure: set[str]) -> None:
    """A § under no section heading had its section guessed: the review shows which."""
    for p in paragraphs:
        if not p.pop("_sectioned"):
            unsure.add(f"paragraphs[{p['position'] - 1}].section")


CLOSED_AT = re.compile(
    r"\b(?:avslutade|avslutar|avslutas|avslutades|förklarade\b[^.]{0,30}\bavslutad?t?)\b[^.]{0,40}?"
    r"\bkl(?:\.|ockan)?\s*([01]?\d|2[0-3])[.:](\d{2})",
    re.IGNORECASE,
)


def _meeting(reader: _Reader, paragraphs: list[dict], *, justerat: bool) -> dict:
    """The date, start and place every meeting has: what is not found is marked for the review."""
    facts = reader.head_facts
    date = facts.get("date")
    if date is None:
        reader.unsure.add("meeting.date")
        reader.warnings.append(_("The meeting's date was not found."))
    if not facts.get("start"):
        reader.unsure.add("meeting.start_time")
    place, is_remote = _place_and_remote(facts, paragraphs)
    if not place:
        reader.unsure.add("meeting.place")
    if not facts.get("end") and "meeting.end_time" not in reader.unsure and paragraphs:
        # "Ordföranden … avslutade mötet kl. 21.05": the end the head did not give.
        last = paragraphs[-1]
        closing = " ".join([last["text"], *(d["text"] for d in last["decisions"])])
        if m := CLOSED_AT.search(closing):
            facts["end"] = f"{int(m[1]):02d}:{m[2]}"
            reader.unsure.add("meeting.end_time")
    return {
        "date": date.isoformat() if date else None,
        "start_time": facts.get("start") or None,
        "end_time": facts.get("end") or None,
        "place": place,
        "is_remote": is_remote,
        # Signed where it was made: the protocol comes in justerat.
        "status": "justerat" if justerat else "genomfort",
    }


def _place_and_remote(facts: dict, paragraphs: list[dict]) -> tuple[str, bool]:
    """A remote meeting is often said only in the opening § ("via Teams"), not in the head."""
    place = squash(facts.get("place") or "")
    said = " ".join([facts.get("place_said") or place, *facts.get("opening", [])])
    remote_text = said + " " + " ".join(p["text"] for p in paragraphs[:2])
    is_remote = bool(REMOTE.search(remote_text)) or bool(facts.get("remote_person"))
    if not place and is_remote:
        m = REMOTE.search(remote_text)
        place = (
            f"Via {m[1].capitalize()}" if m and m[1].lower() in ("teams", "zoom", "skype") else ""
        )
    return place, is_remote


def _warn_unnumbered_opening(reader: _Reader) -> None:
    """Opening items without a § number are not imported: the secretary must know what is lost."""
    opening = reader.head_facts.get("opening") or []
    stray = [x for x in opening if OPENING_TITLE.search(x) and len(x) < 80]
    if stray:
        reader.warnings.append(
            _(
                "Before the first paragraph there are items without a number, not imported as "
                "paragraphs: %(items)s."
            )
            % {"items": "; ".join(stray)}
        )


def _warn_numbering_gaps(paragraphs: list[dict], warnings: list[str]) -> None:
    """A gap in the § numbers is most often a paragraph the text lost or the parser missed."""
    numbers_seen = [p["number"] for p in paragraphs]
    for a, b in itertools.pairwise(numbers_seen):
        if b != a + 1:
            warnings.append(_("§ %(a)s is followed by § %(b)s.") % {"a": a, "b": b})


JUSTERAT_ON = re.compile(
    r"\b(?:justerat|justerades|justeringsdatum|datum för justering|justeringens\s+(?:plats\s+"
    r"och\s+)?(?:tid|datum)(?: och plats)?|protokollet justerat|justerat den|"
    r"justeras(?=[ \t]+[A-ZÅÄÖ][\w -]*\bden\b)|"
    # "Justeringens   Kommunkansliet, den 25 april 2024" over "tid och plats"; "Justeringen
    # sker på förbundskansliet fredagen den 30 september 1994"
    r"justeringens(?=[ \t]{2,}\S)|justeringen\s+sker|justering\s+sker)\b[^\n]{0,60}",
    re.IGNORECASE,
)
ANSLAG_ON = re.compile(
    r"\b(?:anslaget|anslag uppsatt|anslagsdatum|anslaget uppsatt|datum för anslagets? "
    r"uppsättande|anslagets uppsättande|tillkännagivet|anslag|anslags)\b[^\n]{0,60}",
    re.IGNORECASE,
)


HISTORY_LINE = re.compile(
    r"^\s*(justeringens (plats|tid|datum)|justeringsdatum|justerat( den)?\s*:?\s*\d|"
    r"anslaget|anslag uppsatt|anslagsdatum|datum för anslag|anslagets)",
    re.IGNORECASE,
)


def _history(text: str, meeting_date, warnings: list[str], unsure: set[str]) -> dict:
    """When the protocol was justerat and its anslag posted, as the text says."""
    found = {}
    for key, pattern in (("justerat_on", JUSTERAT_ON), ("anslag_on", ANSLAG_ON)):
        found[key] = None
        for m in pattern.finditer(text):
            day, below = read_date(m[0]), False
            if day is None:
                # (Under a label of its own: the first of several dates, perhaps.)
                day, below = _date_below(text, m), True
            if day and (meeting_date is None or day >= meeting_date):
                found[key] = day.isoformat()
                if below or re.search(r"\bsenast\b", m[0], re.I):
                    # (Under a label of its own; "senast 2023-10-31": by then, not on.)
                    unsure.add(f"history.{key}")
                break
        if found[key] is None:
            unsure.add(f"history.{key}")
    if found["justerat_on"] is None:
        warnings.append(_("The day of the justering was not found: give it in the review."))
    return {**found, "source_filename": "", "source_sha256": None}


def _date_below(text: str, label: re.Match) -> datetime.date | None:
    """The date under a label that stands alone on its line, as a flattened head
    gives it ("Datum för anslags\nuppsättande\n2012-10-03")."""
    start = text.rfind("\n", 0, label.start()) + 1
    end = text.find("\n", label.end())
    if end < 0 or len(text[start:end].strip()) > 40:
        return None
    for line in text[end + 1 :].split("\n", 3)[:3]:
        if len(line.strip()) > 60:
            return None
        if day := read_date(line):
            return day
    return None


def _day_in_the_year(text: str, meeting_day) -> datetime.date | None:
    """ "klart till 30 juni": that day in the meeting's year (the next year's when it
    would lie before the meeting)."""
    m = re.search(r"\b(\d{1,2})\s+([a-zåäö]+)\b", text, re.I)
    month = MONTHS.get(m[2].lower()) if m else None
    if not m or not month or meeting_day is None:
        return None
    try:
        day = datetime.date(meeting_day.year, int(month), int(m[1]))
    except ValueError:
        return None
    return day if day >= meeting_day else day.replace(year=day.year + 1)


def _full_name(words: str | None, people: list[dict]) -> str | None:
    if not words:
        return None
    words = POLITICAL.sub(" ", squash(words)).strip(" ,")
    for row in people:
        if row["person"] in words:
            return row["person"]
    return words or None


def _chair_from_text(paragraphs: list[dict], people: list[dict]) -> str | None:
    """ "Ordförande Fredrik hälsar välkomna": the beslutande of that first name."""
    for p in paragraphs[:3]:
        m = re.search(
            r"\b(?:mötes)?ordförande(?:n)?\s+([A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)?)",
            p["text"],
            re.IGNORECASE,
        )
        if m:
            named = [
                r
                for r in people
                if r["capacity"] == "beslutande"
                and (r["person"] == m[1] or r["person"].split()[0] == m[1].split()[0])
            ]
            if len(named) == 1:
                return named[0]["person"]
    return None


def _justerare_chosen(paragraphs, people, chair, head: str | None) -> list[str]:
    texts = [head or ""]
    for p in paragraphs:
        if re.search(r"justera", p["title"], re.IGNORECASE):
            texts.append(p["text"] + " " + " ".join(d["text"] for d in p["decisions"]))
    found = []

    def same(said: str) -> str:  # "Per-Olof Wiklund" is Per Olof Wiklund
        return said.replace("-", " ")

    for text in texts:
        # In the order the text names them ("Ingrid Sahlin och Olle Backman").
        named = sorted(
            (same(text).index(same(row["person"])), row["person"])
            for row in people
            if row["person"] and same(row["person"]) in same(text)
        )
        for _at, name in named:
            if name != chair and name not in found:
                found.append(name)
    return found
