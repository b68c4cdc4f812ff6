"""The audit trail of a paragraph: every saved change of the paragraph and of its
decisions, who made it and when, and which fields it changed. The records are
written by django-simple-history on every save (numbering's bulk renumbering, an
UPDATE of many rows at once, is not among them: it changes no text)."""

from django.utils.translation import gettext_lazy as _

from meetings.models import Bilaga, Decision, Jav, Paragraph, Reservation, Uppdrag
from members.models import account_names

KEPT = 50
# Bookkeeping, and what § numbering moves by itself when items come and go.
IMPLIED = {"id", "created", "modified", "revision", "position", "number", "body", "year", "order"}
# Whole phrases, so that each language can agree them (Swedish: "paragrafen
# ändrad", "ett beslut ändrat").
EVENTS = {
    Paragraph: {"+": _("The paragraph created"), "~": _("The paragraph changed"),
                "-": _("The paragraph removed")},
    Decision: {"+": _("A decision created"), "~": _("A decision changed"),
               "-": _("A decision removed")},
    Bilaga: {"+": _("A bilaga attached"), "~": _("A bilaga changed"),
             "-": _("A bilaga removed")},
}  # fmt: skip


# What a decision holds in rows of their own: `write_decisions` names in the change
# reason of the decision's record which of them it rewrote.
HELD = {"uppdrag": Uppdrag, "reservations": Reservation, "jav": Jav}


def _entries(records, model) -> list[dict]:
    """Records of objects of `model`, oldest first, each compared with the record
    of the same object before it (raw column values: no query per record)."""
    fields = [f for f in model._meta.concrete_fields if f.name not in IMPLIED]
    entries: list[dict] = []
    before: dict[int, dict] = {}
    for record in records:
        values = {f.name: getattr(record, f.attname) for f in fields}
        previous = before.get(record.id, {})
        changed = [
            str(f.verbose_name)
            for f in fields
            if record.history_type == "~" and values[f.name] != previous.get(f.name)
        ]
        changed += [
            str(HELD[part]._meta.verbose_name_plural)
            for part in (record.history_change_reason or "").split(",")
            if part in HELD
        ]
        before[record.id] = values
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "event": EVENTS[model][record.history_type],
                "fields": changed,
            }
        )
    return entries


def paragraph_history(paragraph: Paragraph) -> list[dict]:
    """The newest KEPT changes of the paragraph, its decisions and its bilagor,
    newest first, in three queries whatever their number."""
    entries = []
    for model, of_paragraph in (
        (Paragraph, {"id": paragraph.pk}),
        (Decision, {"paragraph_id": paragraph.pk}),
        (Bilaga, {"paragraph_id": paragraph.pk}),
    ):
        records = (
            model.history.filter(**of_paragraph)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        entries += _entries(records, model)
    entries.sort(key=lambda e: e["when"], reverse=True)
    entries = entries[:KEPT]
    names = account_names({e["who"] for e in entries}, paragraph.meeting.body.organisation)
    for entry in entries:
        entry["who"] = names.get(entry["who"].pk) if entry["who"] else None
    return entries
