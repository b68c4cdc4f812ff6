"""Ärenden: a matter (with its diarienummer) handled in paragraphs of several
meetings and bodies, the arbetsutskott's proposal, the styrelse's decision, a later
report back.

A paragraph belongs to the matter its diarienummer names (within its organisation),
or, without a diarienummer of its own, to the matter of the paragraph it answers
(an AU proposal). The link is a row beside the paragraph (MatterLink), filed by
`file_paragraph` whenever a paragraph is saved, whatever saved it (workspace, admin,
import, demo): the sealed paragraph rows are never touched to group them.
"""

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from meetings.models.protocol import Paragraph, as_written, diarienummer_key
from members.models import Organisation, Timestamped


class Matter(Timestamped):
    """An ärende of the organisation's diarium, by its diarienummer."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="matters",
        verbose_name=_("organisation"),
    )
    reference = models.CharField(_("diarienummer"), max_length=50)
    key = models.CharField(max_length=50, editable=False)

    class Meta:
        ordering = ["organisation", "key"]
        verbose_name = _("matter (ärende)")
        verbose_name_plural = _("matters (ärenden)")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="matter_unique_key"),
        ]

    def __str__(self) -> str:
        return self.reference


class MatterLink(Timestamped):
    """That a paragraph handles a matter (at most one matter per paragraph)."""

    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="links", verbose_name=_("matter")
    )
    paragraph = models.OneToOneField(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="matter_link",
        verbose_name=_("paragraph"),
    )

    class Meta:
        verbose_name = _("paragraph of a matter")
        verbose_name_plural = _("paragraphs of matters")

    def __str__(self) -> str:
        return f"{self.matter}: {self.paragraph_id}"


def matter_of(paragraph: Paragraph) -> Matter | None:
    """The matter the paragraph handles by the rule above (creating it for a
    diarienummer seen first): its own diarienummer's, else that of the paragraph it
    answers, else that of a paragraph answering it (an AU proposal written without
    a diarienummer joins the styrelse decision's matter)."""
    key = diarienummer_key(paragraph.diarienummer)
    if key:
        organisation_id = paragraph.meeting.body.organisation_id
        matter, _created = Matter.objects.get_or_create(
            organisation_id=organisation_id,
            key=key,
            defaults={"reference": as_written(paragraph.diarienummer)[:50]},
        )
        return matter
    near = MatterLink.objects.select_related("matter")
    link = None
    if paragraph.responds_to_id:
        link = near.filter(paragraph_id=paragraph.responds_to_id).first()
    if link is None and paragraph.pk:
        link = near.filter(paragraph__responds_to=paragraph).order_by("pk").first()
    return link.matter if link else None


def file_paragraph(paragraph: Paragraph, _filed: set[int] | None = None) -> None:
    """Files the paragraph under its matter (or under none), then the paragraphs
    next to it without a diarienummer of their own (the one it answers, those that
    answer it), which follow it."""
    filed = _filed if _filed is not None else set()
    filed.add(paragraph.pk)
    if paragraph.meeting.is_frozen and MatterLink.objects.filter(paragraph=paragraph).exists():
        return  # a justerat paragraph stays in the matter it was published in
    matter = matter_of(paragraph)
    if matter is None:
        MatterLink.objects.filter(paragraph=paragraph).delete()
    else:
        MatterLink.objects.update_or_create(paragraph=paragraph, defaults={"matter": matter})
    near = Paragraph.objects.filter(diarienummer="").exclude(pk__in=filed)
    answered = Q(pk=paragraph.responds_to_id) if paragraph.responds_to_id else Q(pk__in=[])
    for other in near.filter(answered | Q(responds_to=paragraph)).select_related("meeting__body"):
        if other.pk not in filed:
            file_paragraph(other, filed)


def _as_filed(paragraph: Paragraph) -> tuple:
    """What a paragraph's matter follows from, as the instance holds it (never loading
    a deferred field)."""
    return (paragraph.__dict__.get("diarienummer"), paragraph.__dict__.get("responds_to_id"))


@receiver(post_init, sender=Paragraph, dispatch_uid="meetings.matter.as_loaded")
def _loaded(sender, instance: Paragraph, **kwargs) -> None:
    instance._filed_as = _as_filed(instance)  # type: ignore[attr-defined]


@receiver(post_save, sender=Paragraph, dispatch_uid="meetings.matter.file_paragraph")
def _filed(sender, instance: Paragraph, created: bool, raw: bool = False, **kwargs) -> None:
    # A restore (loaddata, raw) brings the links with the rows. Only a new paragraph
    # with a diarienummer or a link, or one whose diarienummer or link changed, is
    # filed again: most saves (its text, its number) change neither.
    now = _as_filed(instance)
    if raw or now == (getattr(instance, "_filed_as", None) if not created else ("", None)):
        return
    file_paragraph(instance)
    instance._filed_as = now  # type: ignore[attr-defined]
