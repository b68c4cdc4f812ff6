"""A worker warms itself as it starts (minutes_site/warm.py, issue 36): what its first
request would otherwise do (import every view, fill the URL resolvers, compile the
templates) is done once, so that the first reader after a restart waits no longer
than the second."""

from django.template import engines
from django.urls import get_resolver

from minutes_site.warm import _project_templates, warm


def test_warming_fills_the_resolvers_and_compiles_every_template():
    done = warm()

    resolver = get_resolver()
    assert resolver._populated
    namespaces = resolver.namespace_dict
    assert {"public", "oparl", "member"} <= namespaces.keys()
    assert all(sub._populated for _prefix, sub in namespaces.values())
    assert done["namespaces"] == len(namespaces)
    names = _project_templates()
    assert "base.html" in names and "meetings/public/protocol.html" in names
    assert done["templates"] == len(names) > 50
    # Compiled once, into the cached loader: the first request reads them from there.
    cached = engines["django"].engine.template_loaders[0]
    assert {"base.html", "meetings/public/protocol.html"} <= set(cached.get_template_cache)


def test_the_wsgi_application_warms_the_worker_as_it_starts(monkeypatch):
    import importlib

    import minutes_site.wsgi

    called = []
    monkeypatch.setattr("minutes_site.warm.warm", lambda: called.append(True))

    importlib.reload(minutes_site.wsgi)  # as a worker imports it

    assert called == [True]
