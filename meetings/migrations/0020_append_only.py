"""On PostgreSQL: the archive is append-only and the frozen lists are one
(meetings/rules/frozen.py): archived and public protocols, extracts and history rows are
never changed or deleted, approvals and audit events not once their protocol is
justerat, a co-secretary of a justerat protocol is frozen like its justerare, and
no protocol table can be emptied by TRUNCATE."""

from django.db import migrations


def install(apps, schema_editor):
    from meetings.rules import frozen

    frozen.install(schema_editor)


def uninstall(apps, schema_editor):
    from meetings.rules import frozen

    frozen.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0019_open_data")]

    operations = [migrations.RunPython(install, uninstall)]
