"""What changed between two versions of a protocol, as a justerare reads it.

When a protocol comes back after a request for a change, each approver sees what
changed since the version they answered: the meeting's details, the attendance and
each paragraph (title, text, decisions with their votes, tasks, reservations and
jäv, bilagor), word by word, removed words struck and added ones marked.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meetings.documents.document import sign
from meetings.models import Decision, presence_note
from meetings.rules.masking import as_words, marked, pieces

# Words with the spaces after them, so that the matcher aligns words, not the spaces
# between them (which would cut every change into one-word pieces); line breaks apart.
_WORDS = re.compile(r"\S+[^\S\n]*|\n|[^\S\n]+")


def _decision_lines(d: dict) -> list[str]:
    lines = [f"{capfirst(Decision.Kind(d['kind']).label)}: {d['text']}"]
    if d["vote"]:
        v = d["vote"]
        lines.append(
            _("Vote: %(for)s for, %(against)s against. %(result)s")
            % {"for": v["for"], "against": v["against"], "result": v["result"]}
        )
    lines += [
        _("Task: %(task)s (%(who)s, %(due)s)")
        % {"task": u["description"], "who": u["assignee"] or "–", "due": u["due_date"] or "–"}
        for u in d["uppdrag"]
    ]
    lines += [
        _("Reservation: %(name)s. %(why)s") % {"name": r["person"], "why": r["motivation"]}
        for r in d["reservations"]
    ]
    lines += [_("Jäv: %(name)s") % {"name": name} for name in d["jav"]]
    return lines


def _paragraph_text(p: dict, bilagor: list[dict]) -> str:
    lines = [p["title"]]
    if p["is_confidential"]:
        lines.append(_("Confidential; public title: %(title)s") % {"title": p["public_title"]})
    if p["diarienummer"]:
        lines.append(f"Dnr {p['diarienummer']}")
    lines.append(p["text"])
    for d in p["decisions"]:
        lines += _decision_lines(d)
    lines += [f"{_('Bilaga')} {b['number']}: {b['title']}" for b in bilagor]
    return "\n".join(line for line in lines if line)


def _attendance_text(data: dict) -> str:
    number_at = {p["position"]: p["number"] for p in data["paragraphs"]}
    rows = []
    for a in data["attendance"]:
        note = presence_note(number_at.get(a["present_from"]), number_at.get(a["present_until"]))
        serving = f" ({a['substitutes_for']})" if a["substitutes_for"] else ""
        rows.append(f"{a['person']}, {a['capacity']}{serving} {note}".strip())
    m = data["meeting"]
    head = f"{m['date']} {m['start_time']}–{m['end_time'] or ''} {m['place']}"
    return "\n".join(
        [head, *rows, _("Justerare: %(names)s") % {"names": ", ".join(data["justerare"])}]
    )


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The words of `text` (each with its spaces), each knowing whether it is masked:
    a masked span is compared and shown as its words, marked, never as [[ ]]."""
    return [(word, masked) for words, masked in pieces(text) for word in _WORDS.findall(words)]


def _shown(tokens: list[tuple[str, bool]]) -> str:
    out = []
    for word, masked in tokens:
        if masked and word.strip():
            bare = word.rstrip()
            out.append(marked(bare) + escape(word[len(bare) :]))
        else:
            out.append(escape(word))
    return "".join(out)


def word_diff(old: str, new: str) -> SafeString:
    """`new` escaped, with the words taken out of `old` in <del> and the words put in
    in <ins>; line breaks kept; masked words marked as such."""
    a, b = _tokens(old), _tokens(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_shown(b[j1:j2]))
            continue
        if i2 > i1:
            out.append(f"<del>{_shown(a[i1:i2])}</del>")
            if j2 > j1 and not a[i2 - 1][0][-1:].isspace():
                out.append(" ")  # the last word taken out, then the one put in: apart
        if j2 > j1:
            out.append(f"<ins>{_shown(b[j1:j2])}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))


def changes(old: dict, new: dict) -> list[dict]:
    """Each part that differs between the exports `old` and `new`: {"label", "diff"}."""
    found = []
    before, after = _attendance_text(old), _attendance_text(new)
    if before != after:
        found.append({"label": _("Meeting and attendance"), "diff": word_diff(before, after)})

    def by_key(data):
        bilagor = data["bilagor"]
        return {
            (p["number"] or -p["position"]): (
                p,
                _paragraph_text(p, [b for b in bilagor if b["paragraph"] == p["position"]]),
            )
            for p in data["paragraphs"]
        }

    old_paragraphs, new_paragraphs = by_key(old), by_key(new)
    keys = sorted(set(old_paragraphs) | set(new_paragraphs), key=lambda k: (k < 0, abs(k)))
    for key in keys:
        was, now = old_paragraphs.get(key), new_paragraphs.get(key)
        p = (now or was)[0]
        label = f"{sign(p['number'])} {as_words(p['title'])}"
        if was and now and was[1] == now[1]:
            continue
        if not was:
            found.append({"label": label, "note": _("new"), "diff": word_diff("", now[1])})
        elif not now:
            found.append({"label": label, "note": _("removed"), "diff": word_diff(was[1], "")})
        else:
            found.append({"label": label, "diff": word_diff(was[1], now[1])})
    return found
