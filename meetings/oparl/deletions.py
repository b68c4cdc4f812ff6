"""What the API once offered and is gone is kept as a deletion (OpenDataDeletion), so
that its address answers `"deleted": true` and lists synchronised by
`modified_since` carry it. Recorded by delete signals: every path that deletes a
row (the workspace, the admin, a cascade from an organisation) passes them.

A published protocol is never deleted (meetings/publication.py); what can go is
an organisation, a body, a member party, a person, a seat, and a coming meeting
whose kallelse was out (with its place, agenda items and public handlingar).
"""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from meetings.models import Handling, Meeting, OpenDataDeletion
from members.models import Body, Membership, Organisation, Party, Person


def record(kind: str, object_id, *, organisation_id: int | None, created) -> None:
    OpenDataDeletion.objects.get_or_create(
        kind=kind,
        object_id=str(object_id),
        defaults={"organisation_id": organisation_id, "created": created},
    )


@receiver(post_delete, sender=Organisation)
def _organisation(sender, instance, **kwargs):
    record("body", instance.pk, organisation_id=instance.pk, created=instance.created)


@receiver(post_delete, sender=Body)
def _body(sender, instance, **kwargs):
    record("organization", instance.pk, organisation_id=instance.organisation_id,
           created=instance.created)  # fmt: skip


@receiver(post_delete, sender=Party)
def _party(sender, instance, **kwargs):
    record("party", instance.pk, organisation_id=instance.organisation_id,
           created=instance.created)  # fmt: skip


@receiver(post_delete, sender=Person)
def _person(sender, instance, **kwargs):
    record("person", instance.pk, organisation_id=instance.organisation_id,
           created=instance.created)  # fmt: skip


@receiver(post_delete, sender=Membership)
def _membership(sender, instance, **kwargs):
    # The body may be gone already in a cascade; its organisation is kept on the person.
    organisation_id = (
        Person.objects.filter(pk=instance.person_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    record("membership", instance.pk, organisation_id=organisation_id, created=instance.created)


@receiver(pre_delete, sender=Meeting)
def _meeting(sender, instance, **kwargs):
    """Before the cascade: whether the meeting was public is read from its kallelser."""
    from meetings.oparl.objects import agenda_of_called

    sent = instance.kallelser.order_by("-sent_at").first()
    if sent is None:
        return
    organisation_id = (
        Body.objects.filter(pk=instance.body_id).values_list("organisation_id", flat=True).first()
    )
    for kind in ("meeting", "location"):
        record(kind, instance.pk, organisation_id=organisation_id, created=instance.created)
    for order in range(1, len(agenda_of_called(sent)) + 1):
        record("agendaItem", f"{instance.pk}/{order}", organisation_id=organisation_id,
               created=instance.created)  # fmt: skip


@receiver(post_delete, sender=Handling)
def _handling(sender, instance, **kwargs):
    if instance.is_public:
        record("file", f"handling/{instance.pk}", organisation_id=None, created=instance.created)
