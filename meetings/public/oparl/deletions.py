"""What the API once offered and is gone is kept as a deletion (OpenDataDeletion), so
that its address answers `"deleted": true` and lists synchronised by
`modified_since` carry it. Recorded by delete signals: every path that deletes a
row (the workspace, the admin, a cascade from an organisation) passes them.

A published protocol is never deleted (meetings/actions/publication.py); what can go is
an organisation, a body, a member party, a person, a seat, and a coming meeting
whose kallelse was out (with its place, agenda items and public handlingar).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from meetings.models import Handling, Kallelse, Meeting, OpenDataDeletion, Paragraph
from meetings.public.oparl.lists import people_all
from meetings.rules import frozen
from meetings.rules.signals import tell_the_public
from members.models import Body, Membership, Organisation, Party, Person


def record(
    kind: str, object_id, *, organisation_id: int | None, created, meeting_id: int | None = None
) -> None:
    OpenDataDeletion.objects.get_or_create(
        kind=kind,
        object_id=str(object_id),
        defaults={
            "organisation_id": organisation_id,
            "object_created": created,
            "meeting_id": meeting_id,
        },
    )


@receiver(post_delete, sender=Organisation)
def _organisation(sender, instance, **kwargs):
    record("body", instance.pk, organisation_id=instance.pk, created=instance.created)


@receiver(post_delete, sender=Body)
def _body(sender, instance, **kwargs):
    record(
        "organization",
        instance.pk,
        organisation_id=instance.organisation_id,
        created=instance.created,
    )


@receiver(post_delete, sender=Party)
def _party(sender, instance, **kwargs):
    record("party", instance.pk, organisation_id=instance.organisation_id, created=instance.created)


@receiver(post_delete, sender=Person)
def _person(sender, instance, **kwargs):
    record(
        "person", instance.pk, organisation_id=instance.organisation_id, created=instance.created
    )


@receiver(post_delete, sender=Membership)
def _membership(sender, instance, **kwargs):
    # The body may be gone already in a cascade; its organisation is kept on the person.
    person = Person.objects.filter(pk=instance.person_id).first()
    organisation_id = person.organisation_id if person else None
    record("membership", instance.pk, organisation_id=organisation_id, created=instance.created)
    _holders_changed(instance)
    # Their last seat gone and no published protocol naming them: the person leaves
    # the open data, and a synchronising client must learn it as a deletion.
    if person is not None and not people_all().filter(pk=person.pk).exists():
        record("person", person.pk, organisation_id=organisation_id, created=person.created)


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _holders_changed(instance)
        # Back in the open data: no longer listed as deleted (a client reads them anew,
        # their modified has moved).
        OpenDataDeletion.objects.filter(kind="person", object_id=str(instance.person_id)).delete()


def _holders_changed(seat: Membership) -> None:
    """A seat is embedded in its Person and listed by its Organization: a seat added,
    changed or deleted is a change to both (OParl 2.8), so that a client
    synchronising by modified_since fetches them again and sees it. An UPDATE, not
    a save: nothing of the person or body itself changed."""
    now = timezone.now()
    Person.objects.filter(pk=seat.person_id).update(modified=now)
    Body.objects.filter(pk=seat.body_id).update(modified=now)


def _listed(meeting_id: int) -> set[int]:
    """The paragraphs any kallelse of the meeting listed in its public agenda."""
    keys = set()
    for agenda in Kallelse.objects.filter(meeting_id=meeting_id).values_list(
        "public_agenda", flat=True
    ):
        items = agenda.get("items", []) if isinstance(agenda, dict) else []
        keys |= {item["paragraph"] for item in items if item.get("paragraph")}
    return keys


def _organisation_of(meeting_id: int) -> int | None:
    return (
        Meeting.objects.filter(pk=meeting_id)
        .values_list("body__organisation_id", flat=True)
        .first()
    )


@receiver(pre_delete, sender=Meeting)
def _meeting(sender, instance, **kwargs):
    """Before the cascade: whether the meeting was public is read from its kallelser."""
    if not instance.kallelser.exists():
        return
    organisation_id = _organisation_of(instance.pk)
    for kind in ("meeting", "location"):
        record(kind, instance.pk, organisation_id=organisation_id, created=instance.created)
    for key in _listed(instance.pk):
        record("agendaItem", key, organisation_id=organisation_id, created=instance.created)


@receiver(post_delete, sender=Paragraph)
def _paragraph(sender, instance, **kwargs):
    """An item taken off the agenda of a meeting whose kallelse had listed it."""
    if instance.pk in _listed(instance.meeting_id):
        record(
            "agendaItem",
            instance.pk,
            organisation_id=_organisation_of(instance.meeting_id),
            created=instance.created,
            meeting_id=instance.meeting_id,
        )


@receiver(post_delete, sender=Handling)
def _handling(sender, instance, **kwargs):
    if instance.is_public:
        record(
            "file",
            f"handling/{instance.pk}",
            organisation_id=_organisation_of(instance.meeting_id),
            created=instance.created,
            meeting_id=instance.meeting_id,
        )
    _meeting_changed(instance.meeting_id)


@receiver(post_save, sender=Handling)
def _handling_saved(sender, instance, **kwargs):
    _meeting_changed(instance.meeting_id)


def _meeting_changed(meeting_id: int) -> None:
    """A coming meeting's public files changed: its `modified` moves (so that a client
    synchronising by modified_since fetches it again) and no kept answer outlives it."""
    Meeting.objects.filter(~frozen.is_frozen(), pk=meeting_id).update(modified=timezone.now())
    tell_the_public(__name__)


# What the API lists of an organisation: no kept answer may outlive a change to it
# (a client that read it from the cache would never learn of the change).
for _model in (Organisation, Body, Party, Person, Membership):
    post_save.connect(
        lambda **kwargs: tell_the_public(__name__),
        sender=_model,
        weak=False,
        dispatch_uid=f"open-data-{_model.__name__}-saved",
    )
    post_delete.connect(
        lambda **kwargs: tell_the_public(__name__),
        sender=_model,
        weak=False,
        dispatch_uid=f"open-data-{_model.__name__}-deleted",
    )
