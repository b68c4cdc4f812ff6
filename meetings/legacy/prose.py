"""Attendance written as running prose, as older protocols do:

    Närvarande: ledamöterna Sven-Erik Hägglund (s), ordförande, Bengt
    Forsberg (s) och Margareta Lundin (m), vice ordförande, den se-
    nare fr o m kl 10.30 fredagen (§ 9), samt tjänstgörande ersättar-
    na Gunnel Eriksson (s) för Kjell Sjödin (s).

    Dessutom närvarande: förbundsdirektören Tore Lindmark, ekonomen
    Britt Söderström (§§ 4-5) samt sekreteraren Inger Fahlén.

rewritten as the list the rest of the reader knows: a group's heading, then a person
a line ("Margareta Lundin (m), vice ordförande, fr.o.m. § 9", "Tore Lindmark,
förbundsdirektör"). Only a block that reads as prose is rewritten: a word of the
sentence ("ledamöterna", "förbundsdirektören") right before a person's name.
"""

import re

NAME = r"[A-ZÅÄÖÉ][\wåäöé-]+(?:\s+[A-ZÅÄÖÉ][\wåäöé-]+){1,2}"
LABEL = re.compile(
    r"^(närvarande(?: ledamöter| i övrigt)?|beslutande|dessutom närvarande|övriga närvarande|"
    r"även närvarande|ersättare i övrigt|övriga ersättare|frånvarande|anmält förhinder|"
    r"tjänstgörande ersättare)\s*:\s*(.*)$",
    re.I,
)
# A word of the sentence before a name: "ledamöterna", "ersättarna", "förbundsdirektören".
SENTENCE_WORD = re.compile(
    r"(?<![\wåäö])(?!(?:från|kommun|regionen|kommunen|staden|landstinget)\b)"
    r"([a-zåäö][\wåäö-]{3,}(?:na|en|rn))\s(?=" + NAME + ")"
)
# Any label ("Övriga:", "Justerare:") ends the block before it.
ANY_LABEL = re.compile(r"^[A-ZÅÄÖ][\wåäö ]{2,30}:")
GROUP_WORDS = [
    (re.compile(r"^tjänstgörande\s+(ersättar\w*|suppleant\w*)$", re.I), "Tjänstgörande ersättare"),
    (re.compile(r"^(ersättar\w*|suppleant\w*)$", re.I), "Ersättare"),
    (re.compile(r"^(ledamöterna|ledamoten|ledamöter)$", re.I), "Beslutande"),
]
LABEL_GROUP = [
    (
        re.compile(r"^((dessutom|övriga|även) närvarande|närvarande i övrigt)$", re.I),
        "Övriga närvarande",
    ),
    (re.compile(r"^(ersättare i övrigt|övriga ersättare)$", re.I), "Ersättare"),
    (re.compile(r"^(frånvarande|anmält förhinder)$", re.I), "Frånvarande"),
    (re.compile(r"^tjänstgörande ersättare$", re.I), "Tjänstgörande ersättare"),
]
# Where a sentence parts people: ", ", " och ", " samt ", before a name (or a title
# and a name, or a group's words and a name).
PART = re.compile(
    r"(?:,\s+|\s+och\s+|\s+samt\s+)(?=(?:tjänstgörande\s+)?(?:[a-zåäö][\wåäö-]+\s+)?" + NAME + ")"
)


# "Bollbacka kommun: Margareta Lindh, ordförande": the member organisation first.
ORGANISATION_FIRST = re.compile(
    r"^(\s*)((?:Region|Landstinget)\s+[A-ZÅÄÖ][\wåäö-]+|[A-ZÅÄÖ][\wåäö-]*\s+(?:kommun|stad)|"
    r"Försäkringskassan|Arbetsförmedlingen|Regionen)\s*:\s+(" + NAME + r")(.*)$"
)


def unfold(lines: list[str]) -> list[str]:
    """`lines` with each block of attendance in prose (until a blank line or the next
    label) rewritten as a list, and a person's member organisation written before the
    name ("Bollbacka kommun: Margareta Lindh") after it, in brackets, as a list says it."""
    lines = [ORGANISATION_FIRST.sub(r"\1\3 (\2)\4", line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = LABEL.match(lines[i].strip())
        if m is None:
            out.append(lines[i])
            i += 1
            continue
        block, j = [m[2]], i + 1
        while j < len(lines) and lines[j].strip() and not ANY_LABEL.match(lines[j].strip()):
            block.append(lines[j].strip())
            j += 1
        said = " ".join(block)
        # (Columns side by side, "Kjell Persson, ordförande      Hyttfors kommun", are a
        # table, not a sentence.)
        columns = any(re.search(r"\S\s{3,}\S", b) for b in block) or lines[i][:1].isspace()
        in_a_column = any(line[:1].isspace() for line in lines[i + 1 : j])
        if (
            not SENTENCE_WORD.search(said)
            and not columns
            and not in_a_column
            and _wrapped_list(block)
        ):
            # "Närvarande: Rolf Engqvist ordf., …, Kurt Lindahl" / "kassör, …, Sonja" /
            # "Berg ers. (tjänstgör för Erik Malm)": one list over lines, one line again.
            out.append(f"{m[1]}: {said}")
            i = j
            continue
        if not SENTENCE_WORD.search(said) or columns:
            out.append(lines[i])
            i += 1
            continue
        out.extend(_as_list(m[1], said))
        out.append("")
        i = j
    return out


def _wrapped_list(block: list[str]) -> bool:
    """A list of people running on over lines: each line but the last lists several
    (two commas or more) and stops mid-list (no full stop)."""
    return len(block) > 1 and all(
        line.count(",") >= 2 and not line.rstrip().endswith(".") for line in block[:-1]
    )


def _as_list(label: str, said: str) -> list[str]:
    group = next((g for pattern, g in LABEL_GROUP if pattern.match(label)), "Beslutande")
    out = [group]
    carried = ""  # "styrelseledamöterna Johan Kvist, Ulla Bergman och Sara Nilsson": each one
    for part in PART.split(said.strip().rstrip(".")):
        part = part.strip()
        words = SENTENCE_WORD.match(part)
        if words:
            said_group = next((g for pattern, g in GROUP_WORDS if pattern.match(words[1])), None)
            if said_group:
                if said_group != out[-1]:
                    out.append(said_group)
                part = part[words.end() :]
                if not words[1].endswith("na"):  # "suppleanten Erik Wallin": one, titled
                    name = re.match(NAME, part)
                    part = f"{name[0]}, {_indefinite(words[1])}{part[name.end() :]}"
            else:
                # "ekonomen Britt Söderström (§§ 4-5)": the title after the name.
                title = _indefinite(words[1])
                carried = title if words[1].endswith("na") else ""
                name = re.match(NAME, part[words.end() :])
                rest = part[words.end() + name.end() :]
                part = f"{name[0]}, {title}{rest}" if name else part
        elif carried and re.match(NAME + r"\s*$", part):
            part = f"{part}, {carried}"
        elif re.match(r"^tjänstgörande\s+(ersättar|suppleant)", part, re.I):
            out.append("Tjänstgörande ersättare")
            part = re.sub(r"^tjänstgörande\s+\S+\s+", "", part, flags=re.I)
        elif (named := re.search(NAME, part)) and not re.match(NAME, part):
            # "kassör Sven-Åke Blom", "…, bland dem styrelsens ordförande Lennart
            # Strömqvist": the words right before the name are the title.
            before = re.split(r"[,;:]|\bbland dem\b", part[: named.start()])[-1].strip()
            if before and re.fullmatch(r"[a-zåäö][\wåäö -]*", before):
                rest = part[named.end() :]
                part = f"{named[0]}, {before}{rest}"
        if not re.match(NAME, part):
            if len(out) > 1 and not _is_heading(out[-1]):
                out[-1] = f"{out[-1]}, {_presence(part)}".rstrip(", ")
            continue
        out.append(_presence(part))
    return out


def _is_heading(line: str) -> bool:
    """Whether the line is a group's heading this module wrote."""
    return line == "Beslutande" or line in {g for _p, g in GROUP_WORDS + LABEL_GROUP}


def _presence(part: str) -> str:
    """What a person's part says, with its presence as a list says it: "den senare fr o
    m kl 10.30 fredagen (§ 9)" is "fr.o.m. § 9", "den 22 september (§§ 1-6)" is
    "§§ 1-6"."""
    m = re.search(r"\((§[^)]*)\)", part)
    if m is None:
        return part
    before = part[: m.start()]
    span = m[1]
    if re.search(r"\b(fr\.?\s*o\.?\s*m\.?|från)\b", before) and "§§" not in span:
        span = f"fr.o.m. {span}"
    # The words about when ("den senare", "kl 10.30 fredagen", "den 22 september") go.
    kept = re.sub(
        r",?\s*\b(den senare|den förra|fr\.?\s*o\.?\s*m\.?|från|t\.?\s*o\.?\s*m\.?)\b.*$",
        "",
        before,
    )
    kept = re.sub(r"\s+den\s+\d{1,2}\s+[a-zåäö]+\s*$", "", kept).rstrip(" ,")
    return f"{kept}, {span}"


def _indefinite(word: str) -> str:
    """ "förbundsdirektören" is a förbundsdirektör, "sekreteraren" a sekreterare, each of
    "styrelseledamöterna" a styrelseledamot, of "revisorerna" a revisor."""
    if word.endswith("ledamöterna"):
        return word[: -len("ledamöterna")] + "ledamot"
    if word.endswith("erna"):
        return word[:-4]
    if word.endswith("arna"):
        return word[:-2] + "e"
    if word.endswith("aren"):
        return word[:-1]
    if word.endswith("en"):
        return word[:-2]
    return word
