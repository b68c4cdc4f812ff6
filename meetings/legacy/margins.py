"""Protocols written with a margin column: each § heading's title, a diarienummer, or a
label ("Beslut", "Sammanfattning", "Beslutsunderlag") stands in a narrow column on the
left and the text runs in a column of its own on the right, the two side by side:

    § 4

    Delårsbokslut       Ekonomen Britt Söderström redogjorde för delårs-
    per den 31          bokslutet per den 31 augusti 1994, bilaga 1.
    augusti 1994        Förbundet redovisar ett överskott om 1 312 tkr
    Dnr 58/94           förklaras främst av lägre kostnader för trans-

Typewritten protocols of the 1980s and 1990s, and the board portals' exports of today,
are laid out so. Read line by line, the title and the text interleave; here the two
columns are taken apart, so that the rest of the reader sees a heading with its title,
the diarienummer below it, each label on a line of its own above what it labels, and
the text.
"""

import re
from collections import Counter

# A line of the two columns: a short left part, a gap, the text at the text's column.
SIDE_BY_SIDE = re.compile(r"^( {0,3}\S(?:.*?\S)?)( {2,})(\S.*)$")
LEFT_AT_MOST = 26  # characters of a margin column
TEXT_FROM = 12  # a text column starts at least this far in
DIARIENUMMER = re.compile(r"^(dnr|diarienummer|diarienr|ärendenummer|ärendenr)\b", re.I)


def unfold(lines: list[str], heading: re.Pattern) -> list[str]:
    """`lines` with a margin column, if the § region (from the first line `heading`
    matches, group 2 its title) has one, taken apart."""
    first = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if first is None:
        return lines
    column = _text_column(lines[first:], heading)
    if column is None:
        return lines
    return lines[:first] + _unfold_region(lines[first:], column, heading)


def _split(line: str, column: int, heading: re.Pattern) -> tuple[str, str] | None:
    """(left, text) of a line with a margin part and its text at `column`; ("", text)
    of a line of text alone at the column; None for any other line."""
    if heading.match(line):
        return None
    indent = len(line) - len(line.lstrip(" "))
    if line.strip() and indent >= column:
        return "", line[column:]
    m = SIDE_BY_SIDE.match(line)
    if m and len(m[1]) + len(m[2]) == column and len(m[1].strip()) <= LEFT_AT_MOST:
        return m[1].strip(), m[3]
    return None


def _margin_alone(line: str) -> bool:
    """A margin's line going on where the text column has nothing beside it."""
    stripped = line.strip()
    return (
        bool(stripped)
        and line[:1] != " "
        and len(stripped) <= LEFT_AT_MOST
        and "  " not in stripped
    )


def _text_column(region: list[str], heading: re.Pattern) -> int | None:
    """The column the text stands in, when the region is written with a margin column:
    most of its lines stand there, several with a margin part beside them, and the
    text's own lines are no table (no wide gap inside them)."""
    starts: Counter[int] = Counter()
    for line in region:
        if not line.strip() or heading.match(line):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent >= TEXT_FROM:
            starts[indent] += 1
        elif (m := SIDE_BY_SIDE.match(line)) and len(m[1].strip()) <= LEFT_AT_MOST:
            starts[len(m[1]) + len(m[2])] += 1
    if not starts:
        return None
    column, _n = starts.most_common(1)[0]
    if column < TEXT_FROM:
        return None
    split = [s for line in region if line.strip() and (s := _split(line, column, heading))]
    margins = [left for left, _text in split if left]
    alone = [text for left, text in split if not left]
    written = [line for line in region if line.strip() and not heading.match(line)]
    gapped = sum(bool(re.search(r"\S {3,}\S", text)) for _left, text in split)
    if (
        len(margins) >= 3
        and len(alone) >= max(3, len(margins) // 2)
        and len(split) >= 0.6 * len(written)
        and gapped <= 0.2 * len(split)
    ):
        return column
    return None


def _joined(parts: list[str]) -> str:
    """A margin's lines as one: 'renhållnings-' and 'taxa 1995' are 'renhållningstaxa 1995'."""
    out = ""
    for part in parts:
        if out.endswith("-") and out[-2:-1].isalpha() and part[:1].islower():
            out = out[:-1] + part
        else:
            out = f"{out} {part}" if out else part
    return out


def _unfold_region(region: list[str], column: int, heading: re.Pattern) -> list[str]:
    out: list[str] = []
    heading_at: int | None = None  # where the current § heading stands in `out`
    untitled = False  # the heading has no title of its own: the first margin is it
    paragraph_open = False  # the text column's last line goes on in the next
    i = 0
    while i < len(region):
        line = region[i]
        if m := heading.match(line):
            out.append(line)
            heading_at, untitled, paragraph_open = len(out) - 1, not m[2].strip(), False
            i += 1
            # A title at the text's column going on below it ("§ 118   Tilldelning av
            # kontrakt – anropsstyrd trafik i" / "norra Mälarlanda"), up to its Dnr.
            while (
                not untitled
                and line.find(m[2]) == column
                and i < len(region)
                and (s := _split(region[i], column, heading))
                and not s[0]
                and len(s[1].strip()) <= 60
                and not DIARIENUMMER.match(s[1])
                and not s[1].rstrip().endswith((".", ":"))
            ):
                out[heading_at] = f"{out[heading_at].rstrip()} {s[1].strip()}"
                i += 1
            continue
        split = _split(line, column, heading)
        if split is None and _margin_alone(line) and DIARIENUMMER.match(line):
            split = (line.strip(), None)  # "Dnr 37/94" below the text, nothing beside it
        if split is None:
            out.append(line)
            # (A rule under a heading, "_____", ends what was above it.)
            paragraph_open = bool(line.strip()) and not re.fullmatch(r"[\s_=.-]+", line)
            i += 1
            continue
        left, text = split
        if not left:
            out.append(text)
            paragraph_open = not DIARIENUMMER.match(text)
            i += 1
            continue
        # A margin part: it goes on in the lines below that have one.
        margin, texts = [], []
        while i < len(region):
            if (s := _split(region[i], column, heading)) and s[0]:
                margin.append(s[0])
                texts.append(s[1])
            elif _margin_alone(region[i]):  # "ling av returpapper", beside no text
                margin.append(region[i].strip())
            else:
                break
            i += 1
        title = _joined(margin)
        if untitled and heading_at is not None:
            out[heading_at] = f"{out[heading_at].rstrip()} {title}"
            untitled = False
        elif paragraph_open and heading_at is not None:
            # Beside a sentence running on ("Dnr 58/94" halfway down): the §'s, below
            # its heading, not a line breaking the sentence.
            out.insert(heading_at + 1, title)
        else:
            out.append(title)  # a label above what it labels
        out.extend(texts)
        paragraph_open = paragraph_open or bool(texts)
    return out
