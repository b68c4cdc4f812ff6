"""Attendance printed as a table, read by its columns (meetings/legacy/parse.py):

- a presence table, one column a § ("Ledamöter  Parti  101  102  103"), an X (or
  "Tjg") where the person took part: who was there at which §, and who not at all;
- a table by member organisation or party ("Part  Ledamot  Ersättare"), each row a
  member and their deputy with "närv.", "frånv.", "tjg" beside the name.

Each table becomes its people in reading order, as (what the name's cell says,
capacity, party) with what the columns tell of presence; the lines of the table are
taken out of the text so that no § reads them as its own.
"""

import re
from dataclasses import dataclass, field

NAME_CELL = re.compile(r"^[A-ZÅÄÖÉ][\w-]+(?:\s+[A-ZÅÄÖÉ][\w-]+){1,2}\b")
# A presence table's head: words, then at least three § numbers in a row.
NUMBERS = re.compile(r"(?<!\S)(\d{1,4})(?!\S)")
HEAD_WORD = re.compile(r"\b(ledamöter|ledamot|parti|namn|närvarande|ordinarie)\b", re.I)
X_MARK = re.compile(r"(?<!\S)(x|X|m\s*x|Tjg\.?|tjg\.?)(?!\S)")
# A table by member: its columns' names.
MEMBER_COLUMN = re.compile(r"^(ledamot|ledamöter|ordinarie|ordinarie ledamot)$", re.I)
DEPUTY_COLUMN = re.compile(r"^(ersättare|ersättarе|suppleant|suppleanter)$", re.I)
PARTY_COLUMN = re.compile(r"^(part|parti|huvudman|medlem|organisation|myndighet)$", re.I)
PRESENCE_WORD = re.compile(r"(?<!\S)(närv\.?|närvarande|frånv\.?|frånvarande|tjg\.?|"
                           r"tjänstgörande|ej närv\.?)(?!\S)", re.I)  # fmt: skip
PRESENCE_HEAD = re.compile(
    r"^(närvaro|närvarande|närvarostatus|deltog|deltagande|närv\.?)(\s*(§|vid §|paragraf))?$",
    re.I,
)
SERVES_FOR = re.compile(
    r"\b[Tt]jänstgö\w*\s+(?:som\s+\w+\s+)?för\s+(" + NAME_CELL.pattern[1:] + ")"
)
SERVES_SHORT = re.compile(r"\b[Tt]jg\.?\s+för\s+(" + NAME_CELL.pattern[1:] + ")")
GROUP_LINE = re.compile(r"^\s*(ledamöter|ordinarie ledamöter|ersättare|suppleanter)\s*:?\s*$", re.I)


@dataclass
class Listed:
    """One person of a table: the name's cell as printed, and what the columns say."""

    cell: str
    capacity: str
    party: str | None = None
    present_at: list[int] = field(default_factory=list)  # § numbers, presence tables only
    serves_for_row: str | None = None  # the member of the same row, for a "tjg" deputy
    unsure: set[str] = field(default_factory=set)


@dataclass
class Table:
    numbers: list[int]  # the § columns of a presence table; [] for a table by member
    people: list[Listed]


def _chunks(line: str) -> list[tuple[int, str]]:
    """The line's cells: text runs separated by two spaces or more, with where each starts."""
    return [(m.start(), m[0].strip()) for m in re.finditer(r"\S+(?:\s\S+)*", line)]


def _presence_head(line: str) -> list[tuple[int, int]] | None:
    """The (column, § number) of a presence table's head line, else None."""
    if not HEAD_WORD.search(line):
        return None
    numbers = [(m.start(), int(m[1])) for m in NUMBERS.finditer(line)]
    if len(numbers) < 3 or [n for _, n in numbers] != sorted({n for _, n in numbers}):
        return None
    return numbers


def _column_head(line: str, kinds, *, first_only: bool = False) -> dict[str, int]:
    """Where each column a head line names begins ({kind: start}); {} when a word of
    the line names none of `kinds` ((kind, pattern) pairs)."""
    columns: dict[str, int] = {}
    for start, text in _chunks(line):
        for name, pattern in kinds:
            if pattern.match(text) and not (first_only and name in columns):
                columns[name] = start
                break
        else:
            return {}
    return columns


def _cells(line: str, order: list[tuple[str, int]]) -> dict[str, str]:
    """A row's text by the column (of `order`, (kind, start) by start) each run of it
    begins under, runs of one column joined."""
    cells: dict[str, str] = {}
    for start, text in _chunks(line):
        owner = [name for name, at in order if at <= start + 2]
        name = owner[-1] if owner else order[0][0]
        cells[name] = f"{cells.get(name, '')} {text}".strip()
    return cells


def _member_head(line: str) -> dict[str, int] | None:
    """The columns of a table by member ("Part  Ledamot  Ersättare", "Ledamöter
    Närvarande  Ersättare  Närvarande"), else None. A presence column is the one of
    the column before it ("member_presence", "deputy_presence")."""
    kinds = (("party", PARTY_COLUMN), ("member", MEMBER_COLUMN), ("deputy", DEPUTY_COLUMN))
    columns: dict[str, int] = {}
    last = None
    for start, text in _chunks(line):
        kind = next((name for name, pattern in kinds if pattern.match(text)), None)
        if kind is None and last and PRESENCE_HEAD.match(text):
            kind = f"{last}_presence"
        if kind is None or kind in columns:
            return None
        columns[kind], last = start, kind
    return columns if {"member", "deputy"} <= columns.keys() else None


def align_tabs(lines: list[str]) -> list[str]:
    """A table a word processor saved as text, its cells parted by tabs ("Mirja
    Koskinen<tab>Kassör<tab>X"), with its columns set under each other in spaces, as a
    PDF's text prints a table: a run of two lines or more with the same tabs."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and "\t" in lines[j].strip("\t ") and lines[j].strip():
            j += 1
        if j - i < 2:
            out.append(lines[i].expandtabs(8) if "\t" in lines[i] else lines[i])
            i += 1
            continue
        rows = [[cell.strip() for cell in line.strip().split("\t")] for line in lines[i:j]]
        widths = [
            max(len(row[k]) for row in rows if len(row) > k)
            for k in range(max(len(row) for row in rows))
        ]
        out += [
            "   ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip() for row in rows
        ]
        i = j
    return out


def take_tables(lines: list[str]) -> tuple[list[str], list[Table], list[int]]:
    """The lines without the tables' lines, the tables, and where each stood (the
    index, in the lines returned, of the line that now stands in its place)."""
    out: list[str] = []
    tables: list[Table] = []
    places: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (numbers := _presence_head(line)) is not None:
            table, i = _presence_table(lines, i, numbers)
        elif (columns := _member_head(line)) is not None:
            table, i = _member_table(lines, i, columns)
        elif (columns := _role_head(line)) is not None:
            table, i = _role_table(lines, i, columns)
        elif (columns := _grid_head(line)) is not None:
            table, i = _grid(lines, i, columns)
        else:
            out.append(line)
            i += 1
            continue
        # The table's title above its head ("NÄRVARO- OCH OMRÖSTNINGSLISTA", "Närvarande
        # vid §   Omröstning § 106", "Barn- och utbildningsnämnden 2014-11-19") goes too.
        while out and (
            re.search(r"närvaro|omröstning|votering|närvarande vid", out[-1], re.I)
            or VOTE_COLUMNS_TITLE.match(out[-1])
            or (out[-1].strip() and len(out) >= 2 and re.search(r"närvaro", out[-2], re.I))
        ):
            out.pop()
        places.append(len(out))
        out.append("")
        tables.append(table)
    return out, tables, places


def _presence_table(lines: list[str], i: int, head: list[tuple[int, int]]):
    numbers = [n for _, n in head]
    last_column = head[-1][0]
    people: list[Listed] = []
    group = "beslutande"
    i += 1
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank_run += 1
            if blank_run > 1:
                break
            i += 1
            continue
        blank_run = 0
        if m := GROUP_LINE.match(line):
            group = "ersattare" if m[1].lower().startswith(("ersätt", "suppl")) else "beslutande"
            i += 1
            continue
        if re.match(r"^\s*(summa|\w+\s*=)", line, re.I) or "=" in line:
            i += 1  # the sums and the marks' legend ("Tjg = tjänstgörande ersättare")
            continue
        chunks = _chunks(line)
        if not chunks or not NAME_CELL.match(chunks[0][1]):
            break
        name_cell = chunks[0][1]
        party = None
        marks: dict[int, str] = {}
        for start, text in chunks[1:]:
            if start < head[0][0] - 2 and not X_MARK.fullmatch(text):
                party = text  # the column between the name and the first §
                continue
            for m in X_MARK.finditer(text):
                at = start + m.start()
                if at > last_column + 3:
                    continue  # a vote's column (Ja, Nej, Avst), not a §'s
                column = min(head, key=lambda c: abs(c[0] - at))
                marks[column[1]] = m[1].lower()
        present = [n for n in numbers if n in marks]
        serving = any(v.startswith("tjg") for v in marks.values())
        if group == "beslutande":
            capacity = "beslutande" if present else "franvarande"
        else:
            capacity = (
                "tjanstgorande_ersattare" if serving else "ersattare" if present else "franvarande"
            )
        people.append(Listed(name_cell, capacity, party, present))
        i += 1
    _deputies_serve_for_the_absent(people)
    return Table(numbers, people), i


def _deputies_serve_for_the_absent(people: list[Listed]) -> None:
    """A serving deputy serves for an absent member of their party: when there is
    exactly one, that member (marked: the table does not say it)."""
    absent = [p for p in people if p.capacity == "franvarande"]
    for deputy in people:
        if deputy.capacity != "tjanstgorande_ersattare":
            continue
        same = [p for p in absent if p.party and p.party == deputy.party]
        deputy.unsure.add("substitutes_for")
        if len(same) == 1:
            deputy.serves_for_row = NAME_CELL.match(same[0].cell)[0]


def _presence_said(cell: str) -> tuple[str, str | None]:
    """The name's cell without its presence word, and the word ("närv", "frånv", "tjg")."""
    m = PRESENCE_WORD.search(cell)
    if m is None:
        return cell, None
    word = m[1].lower()
    kind = "tjg" if word.startswith("tj") else "frånv" if "fr" in word or "ej" in word else "närv"
    return (cell[: m.start()] + " " + cell[m.end() :]).strip(), kind


def _member_rows(lines: list[str], i: int, order) -> tuple[list[dict[str, str]], int]:
    """The rows' cells; a line with no name ("ordförande" under "Karin Holmström
    (S),") goes on the row above."""
    rows: list[dict[str, str]] = []
    while i < len(lines) and lines[i].strip():
        cells = _cells(lines[i], order)
        named = any(NAME_CELL.match(cells.get(c, "")) for c in ("member", "deputy"))
        if not named and rows and all(t[:1].islower() for t in cells.values()):
            for column, text in cells.items():
                rows[-1][column] = f"{rows[-1].get(column, '')} {text}".strip()
        else:
            rows.append(cells)
        i += 1
    return rows, i


def _member_table(lines: list[str], i: int, columns: dict[str, int]):
    order = sorted(columns.items(), key=lambda c: c[1])
    people: list[Listed] = []
    party = None
    rows, i = _member_rows(lines, i + 1, order)
    for cells in rows:
        if cells.get("party"):
            party = cells["party"]
        member_name = None
        for column in ("member", "deputy"):
            if not cells.get(column):
                continue
            cell, said = _presence_said(cells[column])
            if not NAME_CELL.match(cell):
                continue
            serves = None
            if f"{column}_presence" in columns:
                # The presence column: "X", "–", "Tjg för Mona Falk", "§§ 34–41".
                mark = cells.get(f"{column}_presence", "").strip()
                serves = SERVES_FOR.search(mark) or SERVES_SHORT.search(mark)
                if serves or re.match(r"^tjg\b|^tjänstgör", mark, re.I):
                    said = "tjg"
                elif re.fullmatch(r"[-–—]*|frånv\.?|frånvarande|ej närv\.?", mark, re.I):
                    said = "frånv"
                else:
                    said = "närv"
                    if "§" in mark:
                        cell = f"{cell}, {mark}"
            if column == "member":
                capacity = "franvarande" if said == "frånv" else "beslutande"
                member_name = NAME_CELL.match(cell)[0]
            else:
                capacity = {"tjg": "tjanstgorande_ersattare", "närv": "ersattare"}.get(
                    said or "", "franvarande"
                )
            listed = Listed(cell, capacity, party)
            if said is None:
                listed.unsure.add("capacity")
            if capacity == "tjanstgorande_ersattare":
                listed.serves_for_row = serves[1] if serves else member_name
            people.append(listed)
    return Table([], people), i


# A table of participants by role: "Namn | Organisation | Roll (| Närvaro)", or a
# närvarolista "Namn | Organisation | Närvarande § | Anmärkning" in groups.
NAME_COLUMN = re.compile(r"^(namn|deltagare|ledamot)$", re.I)
# A head whose name column names the group: "Styrelseledamöter  Funktion  Närvarande".
GROUP_COLUMN = re.compile(
    r"^(styrelseledamöter|ledamöter|ordinarie ledamöter|suppleanter|ersättare|"
    r"adjungerade?|övriga(?: närvarande)?|tjänstepersoner)$",
    re.I,
)
ROLE_COLUMN = re.compile(r"^(roll|funktion|uppdrag|befattning|titel)$", re.I)
ORGANISATION_COLUMN = re.compile(r"^(organisation|parti|part|myndighet|huvudman|medlem)$", re.I)
PRESENCE_COLUMN = PRESENCE_HEAD
REMARK_COLUMN = re.compile(r"^(anmärkning|anm\.?|kommentar|notering|noteringar)$", re.I)
# A line that heads a group of the rows ("Ledamöter", "Ersättare", "Övriga").
ROW_GROUP = re.compile(
    r"^\s*(ledamöter|ordinarie(?: ledamöter)?|ersättare|suppleanter|övriga(?: närvarande)?|"
    r"tjänstemän|tjänstepersoner|frånvarande|förhinder|anmält förhinder|adjungerade?)\s*:?\s*$",
    re.I,
)
GROUP_CAPACITY = {
    "ers": "ersattare",
    "sup": "ersattare",
    "öv": "ovrig",
    "tj": "ovrig",
    "adj": "ovrig",
}
# What a role cell says of the capacity: the rest of it is a title.
DECIDING_ROLE = re.compile(r"^((?:\d:e\s+)?(?:vice\s+)?ordförande|ledamot|kassör)\b", re.I)
# A board's secretary is a member in an association, staff in a förbund: the table
# does not say which.
EITHER_ROLE = re.compile(r"^(sekreterare|protokollförare|adjungerad)\b", re.I)
ABSENT_WORD = re.compile(
    r"\b(frånvarande|ej närvarande|inte närvarande|ej närv\.?|förhinder|nej)\b", re.I
)


def _role_head(line: str) -> dict[str, int] | None:
    """The columns of a table of participants ("Namn  Organisation  Roll", "Namn
    Organisation  Närvarande §  Anmärkning"): a name's and a role's or presence's."""
    columns = _column_head(
        line,
        (
            ("name", NAME_COLUMN),
            ("name", GROUP_COLUMN),
            ("role", ROLE_COLUMN),
            ("party", ORGANISATION_COLUMN),
            ("presence", PRESENCE_COLUMN),
            ("remark", REMARK_COLUMN),
        ),
        first_only=True,
    )
    if "name" in columns and ("role" in columns or "presence" in columns):
        return columns
    return None


def _role_rows(lines: list[str], i: int, order: list[tuple[str, int]]):
    """The rows' cells, each with the group it stands in; a line with no name goes on
    the row above ("Ekonomisk" / "förvaltare": a cell that wrapped)."""
    rows: list[dict[str, str]] = []
    group = ""
    while i < len(lines):
        if not lines[i].strip():
            # A blank line between groups; the table ends at anything else.
            ahead = next((line for line in lines[i + 1 : i + 3] if line.strip()), "")
            if _role_head(ahead):
                break  # the next table's head ("Suppleanter  Funktion  Närvarande")
            if ROW_GROUP.match(ahead) or (rows and NAME_CELL.match(ahead.strip())):
                i += 1
                continue
            break
        if m := ROW_GROUP.match(lines[i]):
            group = m[1].casefold()
            i += 1
            continue
        if re.fullmatch(r"[\s=_-]+", lines[i]) and not rows:  # the rule under the head
            i += 1
            continue
        cells = _cells(lines[i], order)
        if (m := ROW_GROUP.match(cells.get("name", ""))) and len(cells) == 1:
            group = m[1].casefold()  # "| Adjungerade |   |   |": a group inside the table
            i += 1
            continue
        if NAME_CELL.match(cells.get("name", "")):
            rows.append({**cells, "_group": group})
        elif rows and not cells.get("name"):
            for column, text in cells.items():
                rows[-1][column] = f"{rows[-1].get(column, '')} {text}".strip()
        else:
            break
        i += 1
    return rows, i


def _role_table(lines: list[str], i: int, columns: dict[str, int]):
    """Each row a person: the role column (or the group) says the capacity
    ("Ledamot", "Ersättare, tjänstgör för Eva Rask", "frånvarande") and, for staff,
    the title; a presence column whether and when they were there ("X", "–",
    "Närvarande t.o.m. § 8", "§ 23-28"); a remark who a deputy served for."""
    order = sorted(columns.items(), key=lambda c: c[1])
    people: list[Listed] = []
    head_group = _chunks(lines[i])[0][1].casefold()
    head_group = "" if NAME_COLUMN.match(head_group) else head_group.replace("styrelse", "")
    head_group = {"adjungerad": "övriga", "adjungerade": "övriga"}.get(head_group, head_group)
    rows, i = _role_rows(lines, i + 1, order)
    for cells in rows:
        name_cell = cells["name"]
        role, presence = cells.get("role", ""), cells.get("presence", "")
        remark, group = cells.get("remark", ""), cells["_group"] or head_group
        absent = (
            ABSENT_WORD.search(role)
            or ABSENT_WORD.search(presence)
            or ("presence" in columns and re.fullmatch(r"[-–—]*", presence.strip()))
            or group.startswith(("frånv", "förhinder", "anmält"))
        )
        role = re.sub(
            r",?\s*\b(frånvarande|ej närvarande|anmält förhinder)\b", "", role, flags=re.I
        )
        serves = SERVES_FOR.search(f"{role} {remark} {presence}")
        in_group = next((c for k, c in GROUP_CAPACITY.items() if group.startswith(k)), None)
        party = cells.get("party")
        unsure = set()
        if absent:
            capacity = "franvarande"
        elif in_group == "ersattare" or re.match(r"^(ersättare|suppleant)\b", role, re.I):
            serving = serves or re.search(r"\btjänstgör", f"{role} {remark}", re.I)
            capacity = "tjanstgorande_ersattare" if serving else "ersattare"
        elif in_group == "ovrig":
            capacity = "ovrig"
            if "role" not in columns:  # "Camilla Öhrn  Förbundschef": the title's column
                role, party = party or "", None
        elif group or DECIDING_ROLE.match(role):
            capacity = "beslutande"
        else:
            capacity = "ovrig"
            if EITHER_ROLE.match(role):
                unsure.add("capacity")
        if not role and capacity == "beslutande" and DECIDING_ROLE.match(remark):
            role = remark  # "Ordförande" said in the remark
        # "Ledamot", "Ersättare" are the capacity, not a title.
        # ("Ledamot utsedd av HSB" is a title of its own.)
        title = re.sub(r"^(ledamot|ersättare|suppleant)(?:\s*,\s*|\s*$)", "", role, flags=re.I)
        title = title.strip(" ,")
        title = SERVES_FOR.sub("", title).strip(" ,")
        cell = f"{name_cell}, {title}" if title else name_cell
        # "Närvarande från § 4", "§ 1–5": the span, as a line says it.
        span = re.sub(r"^\s*(närvarande|närv\.?|deltog)\b\s*", "", presence, flags=re.I)
        if "§" not in span and "§" in remark and "jäv" not in remark.lower():
            span = remark  # "t.o.m. § 70", "från § 65" said in the remark
        if re.match(r"^[xX]\b", span):  # "X (via Teams, §§ 1–9)": the span alone
            span = (re.search(r"§[^)]*", span) or [""])[0]
        if "§" in span and not absent:
            cell = f"{cell}, {span}"
        listed = Listed(cell, capacity, (party or None) if capacity != "ovrig" else None)
        listed.unsure = unsure
        if serves and capacity == "tjanstgorande_ersattare":
            listed.serves_for_row = serves[1]
        people.append(listed)
    if any(p.capacity == "franvarande" for p in people):
        # A deputy present may serve for the absent member: the table does not say.
        for p in people:
            if p.capacity == "ersattare":
                p.unsure |= {"capacity", "substitutes_for"}
    return Table([], people), i


# A grid of presence: a närvaro- och voteringslista or a närvaroförteckning. Each
# person a row, then a party (and a member kommun), then their presence, either said
# ("X", "Frånv", "§§ 20–27", "Tjg §§ 28–34") in one column or marked with an X in one of
# several ("Närv", "Ej närv", "Tjg", "Ej tjg"), then a remark ("Anmält förhinder",
# "För Leila Karimi", over two lines) and a Ja, Nej and Avstår column for each votering.
# A deputy's row stands under the member served for (indented, or "…, ers."), or the
# deputies have a grid of their own ("Ersättare  Parti  Tjg  Ej tjg").
GRID_NAME = re.compile(
    r"^(ledamot|ledamöter|namn|ordinarie(?: ledamöter)?|ersättare|suppleanter|"
    r"ledamot\s*/\s*ersättare|ledamöter\s*(?:/|och)\s*ersättare)$",
    re.I,
)
GRID_MARKS = (
    ("not_serving", re.compile(r"^(ej tjg\.?|ej tjänstgörande)$", re.I)),
    ("serving", re.compile(r"^(tjg\.?|tjänstgörande)$", re.I)),
    ("absent", re.compile(r"^(ej närv\.?|ej närvarande|frånv\.?|frånvarande)$", re.I)),
    ("present", re.compile(r"^(närv\.?|närvarande|närvaro)$", re.I)),
)
VOTE_WORD = re.compile(r"^(ja|nej|avst\.?|avstår|avstod|ja\s+nej(?:\s+avst\.?|\s+avstår)?)$", re.I)
# The line over the vote columns, naming the § of each votering: "§ 27      § 29".
VOTE_COLUMNS_TITLE = re.compile(r"^\s*(?:(?:omröstning|votering)\s*)?(?:§\s*\d{1,4}\s*){2,}$|"
                                r"^\s*§\s*\d{1,4}\s*$", re.I)  # fmt: skip
DEPUTY_MARK = re.compile(r",?\s*\b(ers\.|ersättare|suppl\.|suppleant)\s*$", re.I)
ABSENT_SAID = re.compile(r"^([-–—]|frånv\.?|frånvarande|ej närv\.?|(anmält )?förhinder)$", re.I)
SERVES_FOR_SAID = re.compile(
    r"\b(?:[Tt]jg\.?\s+|[Tt]jänstgör\w*\s+)?[Ff]ör\s+(" + NAME_CELL.pattern[1:] + ")"
)


def _grid_head(line: str) -> dict[str, int] | None:
    """The columns of a grid of presence: a name's, then a party's, presence or mark
    columns, a remark's and the votes'; None unless a presence or mark column is there."""
    columns: dict[str, int] = {}
    for start, text in _chunks(line):
        kind = None
        if not columns:
            if not GRID_NAME.match(text):
                return None
            kind = "name"
        elif PARTY_COLUMN.match(text) or re.match(r"^kommun$", text, re.I):
            kind = "party" if "party" not in columns else "party_more"
        elif REMARK_COLUMN.match(text):
            kind = "remark"
        elif VOTE_WORD.match(text):
            kind = "votes" if "votes" not in columns else None
            if kind is None:
                continue
        else:
            kind = next((k for k, pattern in GRID_MARKS if pattern.match(text)), None)
            if kind is None:
                return None
        if kind in columns:
            return None
        columns[kind] = start
    marks = {k for k, _p in GRID_MARKS}
    return columns if marks & columns.keys() else None


def _grid_rows(lines: list[str], i: int, order) -> tuple[list[tuple[str, dict]], int]:
    """(the line, its cells) of each row; a line with no name ("Karimi" under "För
    Leila", "§§ 58–66") goes on the row above."""
    rows: list[tuple[str, dict]] = []
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            ahead = next((x for x in lines[i + 1 : i + 3] if x.strip()), "")
            if rows and NAME_CELL.match(ahead.strip()) and not _grid_head(ahead):
                i += 1
                continue
            break
        if re.match(r"^\s*(summa|totalt|antal)\b|^[\s=_-]+$", line, re.I):
            i += 1
            continue
        cells = _cells(line, order)
        if NAME_CELL.match(cells.get("name", "")):
            rows.append((line, cells))
        elif rows and not cells.get("name"):
            for column, text in cells.items():
                rows[-1][1][column] = f"{rows[-1][1].get(column, '')} {text}".strip()
        else:
            break
        i += 1
    return rows, i


def _grid(lines: list[str], i: int, columns: dict[str, int]):
    order = sorted(columns.items(), key=lambda c: c[1])
    deputies = bool(re.match(r"^\s*(ersättare|suppleanter)\b", lines[i], re.I))
    people: list[Listed] = []
    member: Listed | None = None  # the last member's row, whom a deputy under it serves for
    rows, i = _grid_rows(lines, i + 1, order)
    for line, cells in rows:
        name_cell = cells["name"]
        deputy = (
            deputies
            or bool(DEPUTY_MARK.search(name_cell))
            or (line[:1] == " " and member is not None)
        )
        name_cell = DEPUTY_MARK.sub("", name_cell).strip(" ,")
        marked = next(
            (k for k, _p in GRID_MARKS if re.fullmatch(r"[xX]|m\s*[xX]", cells.get(k, ""))), None
        )
        said = cells.get("present", "") if marked is None else ""
        remark = cells.get("remark", "")
        absent = (
            marked in ("absent",)
            or ABSENT_SAID.match(said.strip())
            or re.search(r"förhinder|frånvarande", remark, re.I)
            or (marked is None and not said.strip())
        )
        serving = marked == "serving" or re.match(r"^(tjg|tjänstgör)", said, re.I)
        if deputy:
            capacity = (
                "franvarande" if absent else "tjanstgorande_ersattare" if serving else "ersattare"
            )
        else:
            capacity = "franvarande" if absent else "beslutande"
        # "§§ 55–62" said of presence; "Jäv § 59" is said of the decision.
        span = re.search(
            r"§.*?(?=$|\s{2,})", said if "jäv" in remark.lower() else f"{said} {remark}"
        )
        cell = f"{name_cell}, {span[0]}" if span and capacity != "franvarande" else name_cell
        listed = Listed(cell, capacity, cells.get("party") or None)
        if capacity == "tjanstgorande_ersattare":
            serves = SERVES_FOR_SAID.search(f"{said} {remark}")
            if serves:
                listed.serves_for_row = serves[1]
            elif not deputies and member is not None:
                listed.serves_for_row = NAME_CELL.match(member.cell)[0]
            else:
                listed.unsure.add("substitutes_for")
        if not deputy:
            member = listed
        people.append(listed)
    # Under the list: "Närvarande ej tjänstgörande ersättare: Lisa Wiik (S), Anton Berg
    # (M), Gun Sjödin (C)", over a line or two.
    ahead = next((k for k in range(i, min(i + 3, len(lines))) if lines[k].strip()), None)
    if ahead is not None and (m := PRESENT_DEPUTIES.match(lines[ahead])):
        said, i = m[1], ahead + 1
        while i < len(lines) and lines[i].strip():
            said, i = f"{said} {lines[i].strip()}", i + 1
        for part in re.split(r",\s*|\s+(?:och|samt)\s+", said.strip(" .")):
            if named := re.fullmatch(NAME_CELL.pattern + r"\s*(?:\((\w+)\))?", part.strip()):
                people.append(Listed(named[0].split(" (")[0], "ersattare", named[1]))
    return Table([], people), i


PRESENT_DEPUTIES = re.compile(
    r"^\s*(?:närvarande\s+)?(?:ej|icke)\s+tjänstgörande\s+ersättare\s*:?\s*(.*)$", re.I
)
