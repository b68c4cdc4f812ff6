"""The demo's year of history mails nobody later: what its services sent while it was
seeded went out then (nowhere), so no worker sends months-old notices through the
installation's mail server, and /halsa/ is green on a fresh `make run`."""

from minutes_site.outbox.models import Mail


def test_the_seeded_demo_leaves_no_mail_waiting(client, seeded):
    statuses = set(Mail.objects.values_list("status", flat=True))

    assert Mail.objects.count() > 20
    assert statuses == {"sent"}
    assert client.get("/halsa/?format=json").json()["Outbox()"] == "OK"
