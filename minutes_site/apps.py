from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The installation's own commands: the background worker (`work`), `backup` and
    `restore` (minutes_site/management/commands)."""

    name = "minutes_site"
    label = "minutes_site"
    verbose_name = "Paragraf"
