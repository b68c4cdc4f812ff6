"""What a worker would otherwise do on its first request, done when it starts (issue
36): every view module imported (the URLconf imports them all, the legacy reader's
hundreds of patterns compiled with it), the URL resolvers filled for reversing, every
template of the project compiled into the cached loader, and the Swedish and English
catalogues read. A fresh worker's first protocol page then costs what its second does,
not the 170 ms it took before (measured on the demo: bench/cold_start.py)."""

from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm() -> dict:
    """Warm the worker; what was done, counted (for the test and the log)."""
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - filling it imports every view and populates
    namespaces = 0
    for _prefix, sub in resolver.namespace_dict.values():
        sub.reverse_dict  # noqa: B018 - each namespace's own table ("public:protocol")
        namespaces += 1
    templates = 0
    for name in _project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # pragma: no cover
            continue
        templates += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Protocol")
    return {"namespaces": namespaces, "templates": templates}


def _project_templates() -> list[str]:
    """The names of the project's own templates (templates/ and each app's)."""
    folders = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    folders += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("meetings", "members", "minutes_site")
    ]
    return sorted(
        str(path.relative_to(folder))
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*.html")
    )
