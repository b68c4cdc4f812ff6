"""The organisation and the body a protocol names in its head ("TJÄRNVIKA KOMMUN" /
"Kommunfullmäktige", "Region Mälarlanda" / "Kollektivtrafiknämnden", "Brännviks
församling" / "Kyrkorådet"), as the head prints them. Only the head's first lines and
the running head are read: the text of a § names other bodies and organisations. What
is found here is always for the review to confirm (the import marks it)."""

import re

HEAD_LINES = 8  # the head's first lines that name who met

_CAP = r"[A-ZÅÄÖÉ][\wåäöéÅÄÖÉ-]*"
SAMORDNINGSFORBUND = re.compile(
    rf"\b(Samordningsförbundet|SAMORDNINGSFÖRBUNDET|Finsam|FINSAM)[ \t]+((?:i[ \t]+)?{_CAP}(?:[ \t]{_CAP})?)"
)


def _named(first: str, name: str) -> str | None:
    """ "RENHÅLLNINGSFÖRBUNDET" and "MITTÅDALEN PROTOKOLL" are Renhållningsförbundet
    Mittådalen: the name's words up to a word of the head's, as written."""
    words = [w for w in name.split() if not NOT_A_NAME.match(w)]
    return " ".join([_title_case(first), *map(_title_case, words)]) if words else None


# Each pattern of an organisation's name, with how the name is written from its match.
ORGANISATION_PATTERNS = [
    # "TJÄRNVIKA KOMMUN", "Vingåkers kommun"
    (re.compile(rf"\b({_CAP})[ \t]+(KOMMUN|[Kk]ommun)\b"), lambda m: f"{_title_case(m[1])} kommun"),
    # "Region Mälarlanda", "REGION VÄSTERNORRLAND"
    (re.compile(rf"\b(Region|REGION)[ \t]+({_CAP})\b"), lambda m: _named(m[1], m[2])),
    # "Västerbygdens kommunalförbund", "Brännviks församling"
    (
        re.compile(
            rf"\b({_CAP}[sS])[ \t]+(kommunalförbund|KOMMUNALFÖRBUND|församling|FÖRSAMLING)\b"
        ),
        lambda m: f"{_title_case(m[1])} {m[2].lower()}",
    ),
    # "RENHÅLLNINGSFÖRBUNDET MITTÅDALEN", "Räddningstjänstförbundet Vättersund"
    (
        re.compile(
            rf"\b((?:[A-ZÅÄÖ][a-zåäö]+|[A-ZÅÄÖ]+)(?:förbundet|FÖRBUNDET))[ \t]+({_CAP}(?:[ \t]{_CAP})?)"
        ),
        lambda m: _named(m[1], m[2]),
    ),
]
# An association's name as the first column of its head: "Björkvikens hembygdsförening",
# "Bostadsrättsföreningen Lönnkronan", "Lövsta IK", "AB Tallbo Bostäder".
ASSOCIATION = re.compile(
    r"(förening|föreningen|klubb|klubben|byalag|\bIK\b|\bIF\b|\bAB\b|\bBrf\b|\bBRF\b)", re.I
)
NOT_A_NAME = re.compile(
    r"^(protokoll|sammanträdesprotokoll|styrelsen?|direktionen|sida|datum|kallelse)$", re.I
)

# "Kommunstyrelsens arbetsutskott", "Barn- och utbildningsnämnden", "Regionala
# utvecklingsnämnden", "Kyrkorådet", "Föreningsstämman": a body's name, capitalised.
BODY = re.compile(
    r"(?<![\wåäö-])([A-ZÅÄÖ][\wåäö-]*s\s+[a-zåäö]*utskott|(?:[A-ZÅÄÖ][\wåäö]*-?\s+och\s+[a-zåäö][\wåäö-]*|[A-ZÅÄÖ][\wåäö]*[ae]\s+"
    r"[a-zåäö][\wåäö-]*|[A-ZÅÄÖ][\wåäö-]*)"
    r"(?:nämnden|nämndens\s+\w*utskott|styrelsen|styrelsens\s+arbetsutskott|fullmäktige|"
    r"direktionen|direktionens\s+arbetsutskott|rådet|utskottet|beredningen|stämman|"
    r"årsmötet|beredningsgruppen|ägarsamrådet))(?![\wåäö])"
)
# "Styrelsen", "Direktionen", "Årsmötet" standing alone, as the head prints them.
BODY_ALONE = re.compile(
    r"(?<![\wåäö-])(Styrelsen|Direktionen|Årsmötet|Arbetsutskottet|Beredningsgruppen|"
    r"Ägarsamrådet|Föreningsstämman|Förbundsstyrelsen|Förbundsdirektionen)(?![\wåäö])"
)


def _title_case(word: str) -> str:
    return word.capitalize() if word.isupper() and len(word) > 1 else word


def _head(lines: list[str], running_heads: str) -> list[str]:
    """The text's first lines (its page head as printed) and the running head."""
    lines = [line for line in lines if line.strip()][:HEAD_LINES]
    return lines + [line for line in running_heads.split("\n") if line.strip()]


def organisation(lines: list[str], running_heads: str = "") -> str | None:
    """The organisation the head (the text's first `lines`) names, as written
    ("Tjärnvika kommun"), else None."""
    # A samordningsförbund first, wherever in the head: its members' kommuner are
    # named there too.
    for line in _head(lines, running_heads):
        if (m := SAMORDNINGSFORBUND.search(line)) and (
            named := _named("Samordningsförbundet", m[2])
        ):
            return named
    for line in _head(lines, running_heads):
        for pattern, written in ORGANISATION_PATTERNS:
            m = pattern.search(line)
            if m is None or NOT_A_NAME.match(m[2]) or NOT_A_NAME.match(m[1]):
                continue
            return written(m) or _title_case(m[1])
    # An association: the head's first column, up to its organisation number.
    first = next((line for line in lines if line.strip()), "")
    column = re.split(r"\s{2,}|\t|\s+org\.?\s*nr\b", first.strip(), flags=re.I)[0]
    if (
        ASSOCIATION.search(column)
        and 2 <= len(column.split()) <= 6
        and not re.search(r"[@:<>]", column)
    ):
        return " ".join(_title_case(w) if len(w) > 2 else w for w in column.split())
    return None


# "Protokoll fört vid årsmöte", "Protokoll ordinarie föreningsstämma": the meeting
# of the members, by its name.
GENERAL_MEETING = re.compile(
    r"\b(?:ordinarie\s+|extra\s+)?(årsmöte|föreningsstämma|bolagsstämma|årsstämma)\b", re.I
)
GENERAL_MEETING_NAME = {
    "årsmöte": "Årsmötet",
    "föreningsstämma": "Föreningsstämman",
    "bolagsstämma": "Bolagsstämman",
    "årsstämma": "Årsstämman",
}


def body(lines: list[str], running_heads: str = "") -> tuple[str, str] | None:
    """The body the head names and its kind ("Kommunstyrelsens arbetsutskott",
    "arbetsutskott"), else None."""
    for line in _head(lines, running_heads):
        if m := BODY.search(line) or BODY_ALONE.search(line):
            name = re.sub(r"\s+", " ", m[1])
            return name, kind_of(name)
        if m := GENERAL_MEETING.search(line):
            return GENERAL_MEETING_NAME[m[1].lower()], "other"
    return None


def kind_of(name: str) -> str:
    """The kind of body a name says: an utskott, a styrelse (a kyrkoråd is the
    församling's), a beredningsgrupp, an ägarsamråd, else other."""
    said = name.casefold()
    if "utskott" in said:
        return "arbetsutskott"
    if "beredningsgrupp" in said:
        return "beredningsgrupp"
    if "ägarsamråd" in said or "medlemssamråd" in said:
        return "agarsamrad"
    if said.endswith("styrelsen") or said == "kyrkorådet":
        return "styrelse"
    return "other"
