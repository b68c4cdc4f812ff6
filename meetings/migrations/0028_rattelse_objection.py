"""On PostgreSQL, an approver may object to a rättelse as well as approve it
(meetings.actions.rattelse.object_to): the approval trigger takes a change request
for a rättelse that awaits its approvers, bound to its text as an approval is."""

from django.db import migrations


def install(apps, schema_editor):
    from meetings.rules import frozen

    frozen.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0027_utdrag_carries_rattelser")]

    # Reversing leaves the function as it is: a stricter one comes back only with
    # a migration that installs it.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
