"""The first request of a fresh worker (issue 36): a new interpreter imports the WSGI
application as gunicorn does (minutes_site.wsgi, which warms the worker) and times its
first and second request for a page, through the application itself.

    python -m bench.cold_start /norralv/arbetsutskott/2026-11-02/

prints one JSON object: {"start_ms", "first_ms", "second_ms", "status"}. The bench
(bench/run.py) runs it in a process of its own for each round, with the page cache off
so that the page is rendered."""

import io
import json
import os
import sys
import time
from wsgiref.util import setup_testing_defaults


def _get(application, path: str) -> tuple[str, float]:
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    said = {}
    started = time.perf_counter()
    b"".join(application(environ, lambda status, headers: said.setdefault("status", status)))
    return said["status"], (time.perf_counter() - started) * 1000


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    started = time.perf_counter()
    from minutes_site.wsgi import application

    start_ms = (time.perf_counter() - started) * 1000
    status, first_ms = _get(application, path)
    _status, second_ms = _get(application, path)
    print(
        json.dumps(
            {
                "start_ms": round(start_ms),
                "first_ms": round(first_ms, 1),
                "second_ms": round(second_ms, 1),
                "status": status,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
