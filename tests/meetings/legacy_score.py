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


def compare(expected: dict, got: dict, not_stated=()) -> tuple[int, list[str]]:
    """How many expected fields were compared, and the misses among them."""
    leaves = flatten(expected)
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
        f"{p}: expected {v!r}, got {found.get(p, '<missing>')!r}"
        for p, v in compared.items()
        if not same(v, found.get(p))
    ]
    return len(compared), misses


def marked(misses: list[str], unsure: set[str]) -> int:
    """How many of the misses lie in a field the parse marked "Kontrollera" (the field
    itself, or a list or object it belongs to)."""

    def covered(path: str) -> bool:
        path = path.rstrip("#")
        return any(
            path == u or path.startswith(f"{u}.") or path.startswith(f"{u}[") for u in unsure
        )

    return sum(covered(m.split(":", 1)[0]) for m in misses)
