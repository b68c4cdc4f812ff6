"""Field by field comparison of a parsed legacy protocol with the expected document."""

import difflib
import re

# What a protocol's text never states: left out of the comparison.
NOT_STATED = (
    "format",
    "version",
    "organisation.organisation_number",
    "organisation.website",
    "organisation.slug",
    "body.slug",
)


def flatten(value, path="") -> dict:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(flatten(item, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list):
        out = {f"{path}#": len(value)}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{path}[{i}]"))
        return out
    return {path: value}


def _normal(text: str) -> str:
    text = re.sub(r"\s+", " ", text.casefold()).strip()
    return re.sub(r"\s+([.,:;!?)])", r"\1", text).rstrip(".")


def same(expected, got) -> bool:
    if isinstance(expected, str) and isinstance(got, str):
        a, b = _normal(expected), _normal(got)
        if a == b:
            return True
        return len(a) > 60 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9
    return expected == got


def score(expected: dict, got: dict, not_stated=()) -> tuple[float, list[str]]:
    """The share of the expected fields the parse got right, and the misses."""
    compared, misses = compare(expected, got, not_stated)
    return 1 - len(misses) / compared, misses


def _in_expected_order(expected: list[dict], got: list[dict]) -> list[dict]:
    """The rows read, each beside the expected row of the same person; the rest in
    the order read, in the places left (a misspelt name still compares its fields).
    The protocol shows the attendance by capacity, so the order across the groups
    (a table read before or after the head's "Övriga") is nothing a reader sees."""
    by_person: dict[str, list[dict]] = {}
    for row in got:
        by_person.setdefault(_normal(row.get("person") or ""), []).append(row)
    placed = [
        by_person[key].pop(0) if by_person.get(key := _normal(e.get("person") or "")) else None
        for e in expected
    ]
    rest = [row for row in got if not any(row is p for p in placed)]
    # (An expected person not read at all keeps an empty place: every field a miss.)
    return [row if row is not None else (rest.pop(0) if rest else {}) for row in placed] + rest


def compare(expected: dict, got: dict, not_stated=()) -> tuple[int, list[str]]:
    """How many expected fields were compared, and the misses among them."""
    leaves = flatten(expected)
    where = {}  # a row's place in the comparison → its place as read (for the marks)
    if isinstance(got.get("attendance"), list) and isinstance(expected.get("attendance"), list):
        read = got["attendance"]
        aligned = _in_expected_order(expected["attendance"], read)
        where = {
            i: next((k for k, r in enumerate(read) if r is row), "-")
            for i, row in enumerate(aligned)
        }
        got = {**got, "attendance": aligned}
        found = {**flatten(got), "attendance#": len(read)}
    else:
        found = flatten(got)
    skip = (*NOT_STATED, *not_stated)
    compared = {
        p: v
        for p, v in leaves.items()
        if not any(
            p == s
            or p.startswith(s + ".")
            or p.startswith(s + "[")
            or re.sub(r"\[\d+\]", "[]", p) == s
            for s in skip
        )
    }
    misses = [
        f"{_as_read(p, where)}: expected {v!r}, got {found.get(p, '<missing>')!r}"
        for p, v in compared.items()
        if not same(v, found.get(p))
    ]
    return len(compared), misses


def _as_read(path: str, where: dict) -> str:
    """The path with an attendance row's place as read, which the marks name."""
    m = re.match(r"^attendance\[(\d+)\]", path)
    return f"attendance[{where[int(m[1])]}]{path[m.end() :]}" if m and where else path


def marked(misses: list[str], unsure: set[str]) -> int:
    """How many of the misses lie in a field the parse marked "Kontrollera" (the field
    itself, or a list or object it belongs to)."""

    def covered(path: str) -> bool:
        path = path.rstrip("#")
        return any(
            path == u or path.startswith(f"{u}.") or path.startswith(f"{u}[") for u in unsure
        )

    return sum(covered(m.split(":", 1)[0]) for m in misses)
