"""A head flattened by copying a PDF's text without its layout: the labels of the
head's table come first, one a line, and then their values, a block each (or a line
each), in the same order:

    Plats och tid
    Beslutande
    Utses att justera

    Kommunhuset, sammanträdesrum Vråken, kl. 09.00–12.40

    Ulf Bergdahl (S), ordförande
    Camilla Rask (M), vice ordförande

    Lisa Granqvist

Each label is put back beside its value, as the table printed them, so that the rest
of the reader reads the head it knows.
"""

import re

LABEL = re.compile(
    r"^(plats och tid|tid och plats|tid|plats|lokal|beslutande|ledamöter|ersättare|"
    r"tjänstgörande ersättare|ej tjänstgörande ersättare|övriga deltagare|övriga närvarande|"
    r"närvarande|utses att justera|justerare|justeringens|justeringens plats och tid|"
    r"justeringens tid och plats|organ|sammanträdesdatum|datum då anslaget|"
    r"datum då anslaget sätts upp|datum då anslaget tas ned|förvaringsplats|"
    r"förvaringsplats för protokollet|anslaget sätts upp|anslaget tas ned)\s*:?$",
    re.I,
)
# A label's second line: "Justeringens" / "plats och tid", "Datum då anslaget" / "sätts upp".
LABEL_GOES_ON = re.compile(r"^(plats och tid|tid och plats|sätts upp|tas ned|för protokollet)$")
AT_LEAST = 3  # labels in a row that make a flattened table
COLUMN = 25  # where the values are put back


def unfold(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        labels, j = _labels(lines, i)
        if len(labels) < AT_LEAST:
            out.append(lines[i])
            i += 1
            continue
        values, end = _values(lines, j, len(labels))
        if values is None:
            out.extend(lines[i:j])
            i = j
            continue
        for label, value in zip(labels, values, strict=True):
            out.append(label.ljust(COLUMN - 1) + " " + value[0])
            out.extend(" " * COLUMN + line for line in value[1:])
        out.append("")
        i = end
    return out


def _labels(lines: list[str], i: int) -> tuple[list[str], int]:
    """The labels standing one a line from `i` (a label's second line joined to it)."""
    labels: list[str] = []
    while i < len(lines) and (said := lines[i].strip()):
        if labels and LABEL_GOES_ON.match(said):
            labels[-1] = f"{labels[-1]} {said}"
        elif LABEL.match(said):
            labels.append(said)
        else:
            break
        i += 1
    return labels, i


def _values(lines: list[str], i: int, wanted: int) -> tuple[list[list[str]] | None, int]:
    """`wanted` values from `i`: blocks parted by blank lines, or, when the first block
    has one line for each label, its lines; None when neither fits."""
    while i < len(lines) and not lines[i].strip():
        i += 1
    blocks: list[list[str]] = []
    start = i
    while i < len(lines) and len(blocks) < wanted:
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i].strip())
            i += 1
        if not block:
            break
        blocks.append(block)
        while i < len(lines) and not lines[i].strip():
            i += 1
    if blocks and len(blocks[0]) == wanted and not _continues(blocks[0]):
        return [[line] for line in blocks[0]], start + wanted
    if len(blocks) == wanted:
        return blocks, i
    return None, start


def _continues(block: list[str]) -> bool:
    """Whether a block reads as one value over several lines (a list of people, a line
    going on in lower case) rather than one value a line."""
    return any(re.match(r"^[a-zåäö§]", line) for line in block[1:]) or all(
        re.search(r"\([A-ZÅÄÖa-zåäö]{1,4}\)", line) for line in block
    )
