"""Paragraf's benchmark: a national-scale archive on PostgreSQL, measured.

    make bench                      # or: .venv/bin/python bench/run.py --help

Builds the data set (bench/dataset.py) in its own database, then measures, in one
run: the public protocol page and year list under gunicorn against a static file of
the same size from the same server (ApacheBench on loopback, a fixed number of
requests at 1, 4 and 16 clients), queries per page, the justerat PDF through the
app against bare WeasyPrint on the same HTML, search over 50 Swedish queries, and
the peak memory of a worker. Prints a table, writes JSON, and exits 1 if a target
is missed.
"""

import argparse
import csv
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {
    "throughput_ratio_min": 0.5,
    "p99_ms_at_16_max": 100,
    "queries_public_max": 5,
    "queries_secretary_max": 10,
    "pdf_ratio_max": 1.3,
    "queries_open_data_list_max": 12,
    "search_p95_ms_max": 100,
    # Search through the app (HTTP, Django, the page) against its own SQL run bare.
    "search_ratio_max": 1.5,
    # A fresh worker's first request, the page rendered (issue 36).
    "cold_start_ms_max": 100,
}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=75)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--meetings", type=int, default=10, help="per body and year")
    parser.add_argument("--paragraphs", type=int, default=20, help="per meeting")
    parser.add_argument("--requests", type=int, default=2000, help="per load run")
    parser.add_argument(
        "--database", default="paragraf_bench", help="created anew on the server below"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep the data set of a last run")
    parser.add_argument("--output", default=str(ROOT / "data" / "bench" / "result.json"))
    parser.add_argument(
        "--background-only",
        action="store_true",
        help="measure only the kallelse and the last approval, in the request and queued",
    )
    return parser.parse_args()


def log(message: str) -> None:
    print(message, flush=True)


def prepare_environment(args) -> dict:
    work = Path(args.output).parent
    work.mkdir(parents=True, exist_ok=True)
    environ = {
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
        "SECRET_KEY": "bench-only-not-a-secret",
        "DATABASE_URL": f"{args.server}/{args.database}",
        "DATA_DIR": str(work),
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "SEAL_CERTIFICATE_FILE": str(work / "sigill" / "certifikat.pem"),
        "SEAL_KEY_FILE": str(work / "sigill" / "nyckel.pem"),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "http://127.0.0.1",
    }
    os.environ.update(environ)
    return environ


def create_database(args) -> bool:
    """A fresh database unless --reuse finds one; returns whether data must be built."""
    import psycopg2

    admin = psycopg2.connect(f"{args.server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        exists = cursor.fetchone() is not None
        if exists and args.reuse:
            return False
        cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        cursor.execute(f'CREATE DATABASE "{args.database}"')
    admin.close()
    return True


# --- The PDF -------------------------------------------------------------------------


def draft_protocol(paragraphs: int):
    """A 20-paragraph protocol of this year, drafted through the secretary's services."""
    import datetime

    from django.contrib.auth.models import User

    from bench.dataset import SUBJECTS, _text
    from meetings.actions import services
    from meetings.models import Decision, Meeting
    from members.models import Body

    body = Body.objects.get(organisation__slug="forbund-01", slug="styrelse")
    existing = Meeting.objects.filter(body=body, justerat_at__isnull=True).first()
    if existing:
        return existing
    import random

    rng = random.Random(7)
    user = User.objects.get(username="sekreterare-01")
    year = datetime.date.today().year
    meeting = services.plan_meeting(
        body,
        by=user,
        date=datetime.date(year, 1, 20),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place="Kommunhuset",
    )
    for i in range(paragraphs - meeting.paragraphs.count()):  # beyond the standard items
        section = "inledning" if i < 3 else "beslut"
        item = services.add_item(
            meeting, section=section, title=SUBJECTS[i % len(SUBJECTS)], text=_text(rng, 4)
        )
        Decision.objects.create(
            paragraph=item, kind="beslut", text=f"Styrelsen beslutar att {_text(rng, 1).lower()}"
        )
    services.start_protocol(meeting, by=user)
    return meeting


def measure_pdf(meeting, rounds: int = 9) -> dict:
    """The justerat PDF rendered through the app (`pdf.archival_pdf`: the protocol's
    queries, the template, PDF/A-3a with the JSON embedded) against bare WeasyPrint
    writing the same HTML with the same options, and with none; and the whole of
    justering (`justering.justera`: export, render and seal the original and its
    public version, store both; rolled back each time)."""
    from django.conf import settings
    from django.db import transaction
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML, Attachment

    from meetings.actions import justering
    from meetings.documents import sealing
    from meetings.documents.document import document
    from meetings.documents.pdf import archival_pdf
    from meetings.documents.protocol_json import dumps, export_protocol

    sealing.create_development_certificate()

    class Rollback(Exception):
        pass

    def justera() -> bytes:
        try:
            with transaction.atomic():
                archive = justering.justera(meeting, version="bench")
                data = archive.pdf.read()
                archive.pdf.delete(save=False)
                archive.public_version.pdf.delete(save=False)
                raise Rollback
        except Rollback:
            meeting.refresh_from_db()
        return data

    data = export_protocol(meeting)
    content = dumps(data)
    with translation.override(settings.LANGUAGE_CODE):
        protocol = document(data)
        context = {
            "protocol": protocol,
            "organisation": protocol["organisation"],
            "draft": False,
            "approvals": [],
            "meeting": meeting,
        }
        html = render_to_string("meetings/pdf/protocol.html", context)

    def app() -> bytes:
        return archival_pdf(
            data, meeting=meeting, approvals=[], version="bench", content_json=content
        )

    def bare_same_options() -> bytes:
        source = Attachment(
            string=content.encode(),
            name="protokoll.json",
            description="Protokollet som strukturerad data (paragraf.protocol, version 1)",
            relationship="Source",
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            pdf_variant="pdf/a-3a", attachments=[source], custom_metadata=True
        )

    def bare_plain() -> bytes:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

    jobs = {"app": app, "bare": bare_same_options, "bare_plain": bare_plain, "justera": justera}
    timings = {name: [] for name in jobs}
    sample = b""
    for _ in range(rounds):  # interleaved, so that drift hits all alike
        for name, job in jobs.items():
            started = time.perf_counter()
            result = job()
            timings[name].append(time.perf_counter() - started)
            if name == "justera":
                sample = result
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "paragraphs": meeting.paragraphs.count(),
        "app_s": round(medians["app"], 3),
        "bare_weasyprint_s": round(medians["bare"], 3),
        "bare_plain_weasyprint_s": round(medians["bare_plain"], 3),
        "ratio": round(medians["app"] / medians["bare"], 2),
        "ratio_to_plain": round(medians["app"] / medians["bare_plain"], 2),
        "justera_s": round(medians["justera"], 3),
        "justera_ratio": round(medians["justera"] / medians["bare"], 2),
        "sealed_pdf_bytes": len(sample),
        "sample": sample,
    }


def measure_verification(paragraphs: int = 70, rounds: int = 9) -> dict:
    """A protocol of about 20 pages, justerat (both documents sealed and stored), then
    its public version checked at /verifiera/: `verify` alone and the whole request."""
    import datetime
    import io
    import random

    from django.contrib.auth.models import User
    from django.test import Client, override_settings
    from pypdf import PdfReader

    from bench.dataset import SUBJECTS, _text
    from meetings.actions import justering, services
    from meetings.documents.verification import verify
    from meetings.models import Decision
    from members.models import Body, Organisation

    # A body of its own, so that its § numbers meet no other meeting's.
    body, _ = Body.objects.get_or_create(
        organisation=Organisation.objects.get(slug="forbund-02"),
        slug="bench-verifiering",
        defaults={"name": "Beredningsgruppen", "kind": Body.Kind.BEREDNINGSGRUPP},
    )
    rng = random.Random(11)
    meeting = services.plan_meeting(
        body,
        by=User.objects.get(username="sekreterare-01"),
        date=datetime.date.today(),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place="Kansliet",
    )
    for i in range(paragraphs - meeting.paragraphs.count()):
        item = services.add_item(
            meeting, section="beslut", title=SUBJECTS[i % len(SUBJECTS)], text=_text(rng, 6)
        )
        Decision.objects.create(
            paragraph=item,
            kind="beslut",
            text=f"Arbetsutskottet beslutar att {_text(rng, 1).lower()}",
        )
    services.start_protocol(meeting)
    archive = justering.justera(meeting, version="bench-verification")
    pdf = archive.public_version.pdf.open("rb").read()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    alone, request = [], []
    # The check is measured, not the limit of checks a client may make a minute
    # (VERIFY_PER_MINUTE, 5 by default: the rounds would be refused with a 429).
    with override_settings(VERIFY_PER_MINUTE=0):
        for _ in range(rounds):
            started = time.perf_counter()
            assert verify(pdf).authentic
            alone.append(time.perf_counter() - started)
            client = Client(enforce_csrf_checks=False)
            started = time.perf_counter()
            response = client.post("/verifiera/", {"file": io.BytesIO(pdf)})
            request.append(time.perf_counter() - started)
            assert response.status_code == 200 and "Äkta" in response.content.decode()
    return {
        "pages": pages,
        "pdf_bytes": len(pdf),
        "verify_ms": round(statistics.median(alone) * 1000, 1),
        "request_ms": round(statistics.median(request) * 1000, 1),
    }


# --- Queries per page ----------------------------------------------------------------


def measure_queries(draft) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from meetings.models import Meeting

    first = Meeting.objects.filter(body__organisation__slug="forbund-01", justerat_at__isnull=False)
    small, large = first.order_by("date").first(), first.order_by("-date").first()
    item = draft.paragraphs.order_by("position")[5]
    fifth = large.paragraphs.order_by("position")[4].number

    def protocol_url(m):
        return f"/{m.body.organisation.slug}/{m.body.slug}/{m.date:%Y-%m-%d}/"

    public = {
        "home": "/",
        "organisation": "/forbund-01/",
        "body": "/forbund-01/styrelse/",
        "year": f"/forbund-01/styrelse/{large.date.year}/",
        "year (other)": f"/forbund-01/arbetsutskott/{small.date.year}/",
        "protocol": protocol_url(large),
        "protocol (other)": protocol_url(small),
        "paragraph": protocol_url(large) + f"p{fifth}/",
        "extract (utdrag)": protocol_url(large) + f"p{fifth}/utdrag.pdf",
        "anslagstavla": "/forbund-01/anslagstavla/",
        "search": "/sok/?q=budget",
        "search (phrase)": "/sok/?q=%22psykisk+oh%C3%A4lsa%22",
        "atom feed": "/forbund-01/flode.atom",
        "calendar": "/forbund-01/styrelse/sammantraden.ics",
        "sitemap": "/sitemap.xml",
        # Open data: one Meeting object, and a list page of 100 meetings.
        "OParl meeting": f"/oparl/v1/meeting/{large.pk}",
        "OParl meeting list": f"/oparl/v1/body/{large.body.organisation_id}/meeting",
    }
    secretary = {
        "dashboard": "/arbete/",
        "meeting": f"/arbete/sammantraden/{draft.pk}/",
        "paragraph edit": f"/arbete/sammantraden/{draft.pk}/punkter/{item.pk}/",
        "attendance": f"/arbete/sammantraden/{draft.pk}/narvaro/",
        "bilagor": f"/arbete/sammantraden/{draft.pk}/bilagor/",
        "send for justering": f"/arbete/sammantraden/{draft.pk}/justering/",
    }
    # Queries of the page as rendered: the shared page cache is off here (a page kept
    # in it costs one query; measured below).
    from django.conf import settings

    kept_seconds, settings.PUBLIC_PAGE_CACHE_SECONDS = settings.PUBLIC_PAGE_CACHE_SECONDS, 0
    results = {}
    anonymous, staff = Client(), Client()
    user = User.objects.get(username="sekreterare-01")
    staff.force_login(user)
    # The workspace wants the two-factor step done (members/two_factor.py).
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "bench"}
    )
    session = staff.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for kind, client, pages in (("public", anonymous, public), ("secretary", staff, secretary)):
        for name, url in pages.items():
            client.get(url)  # warm
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            results[f"{kind}: {name}"] = {
                "url": url,
                "status": response.status_code,
                "queries": len(context.captured_queries),
                "bytes": len(
                    b"".join(response.streaming_content) if response.streaming else response.content
                ),
            }
    settings.PUBLIC_PAGE_CACHE_SECONDS = kept_seconds
    anonymous.get(public["protocol"])
    with CaptureQueriesContext(connection) as context:
        anonymous.get(public["protocol"])
    results["public: protocol, kept in the page cache"] = {
        "url": public["protocol"],
        "status": 200,
        "queries": len(context.captured_queries),
        "bytes": protocol_bytes if (protocol_bytes := results["public: protocol"]["bytes"]) else 0,
    }
    return results


# --- Load on gunicorn ----------------------------------------------------------------


def measure_cold_start(environ: dict, path: str, rounds: int = 5) -> dict:
    """A fresh interpreter's first request (bench/cold_start.py), the page rendered
    (the page cache off), the median of `rounds` new processes."""
    runs = []
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-m", "bench.cold_start", path],
            cwd=ROOT,
            env={**os.environ, **environ, "PUBLIC_PAGE_CACHE_SECONDS": "0"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    median = sorted(runs, key=lambda r: r["first_ms"])[len(runs) // 2]
    return {**median, "rounds": rounds}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(environ: dict, workers: int):
    port = free_port()
    process = subprocess.Popen(
        # The running interpreter's gunicorn, so the bench works from any environment.
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minutes_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env={**os.environ, **environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}"


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ab(url: str, requests: int, clients: int, cookie: str = "", headers: tuple = ()) -> dict:
    """One ApacheBench run: a fixed number of requests, `clients` at a time."""
    csv_file = Path(os.environ["DATA_DIR"]) / "ab.csv"
    out = subprocess.run(
        [
            "ab",
            "-q",
            "-n",
            str(requests),
            "-c",
            str(clients),
            "-e",
            str(csv_file),
            *(["-C", cookie] if cookie else []),
            *(a for h in headers for a in ("-H", h)),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = {}
    for line in out.splitlines():
        if ":" in line:
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    percentiles = {int(row[0]): float(row[1]) for row in list(csv.reader(csv_file.open()))[1:]}
    failed = int(fields.get("Failed requests", "0")) + int(fields.get("Non-2xx responses", "0"))
    return {
        "requests_per_s": float(fields["Requests per second"].split()[0]),
        "p50_ms": percentiles[50],
        "p99_ms": percentiles[99],
        "failed": failed,
        "body_bytes": int(fields.get("Document Length", "0").split()[0]),
    }


def measure_http_caching(base: str, path: str, requests: int) -> dict:
    """What the ETag and compression of public pages change, on the protocol page at
    16 clients: a full answer, the same compressed (gzip), and a revalidation that
    the ETag answers with 304 and no body."""
    with urllib.request.urlopen(base + path, timeout=60) as response:
        etag = response.headers["ETag"]
    runs = {
        "full": (),
        "gzip": ("Accept-Encoding: gzip",),
        "revalidated (304)": (f"If-None-Match: {etag}",),
    }
    results = {}
    for name, headers in runs.items():
        ab(base + path, max(50, requests // 10), 16, headers=headers)  # warm-up
        row = ab(base + path, requests, 16, headers=headers)
        # ab counts a 304 as not 2xx: here it is the answer asked for.
        results[name] = {**row, "failed": 0 if name.startswith("revalidated") else row["failed"]}
    return results


def measure_load(base: str, pages: dict[str, tuple[str, str]], requests: int) -> dict:
    results = {}
    for clients in (1, 4, 16):
        for name, (path, cookie) in pages.items():  # side by side, in turn, at each level
            ab(base + path, max(50, requests // 10), clients, cookie)  # warm-up
            results[f"{name} @{clients}"] = {
                "path": path,
                "clients": clients,
                **ab(base + path, requests, clients, cookie),
            }
    return results


# The same answer in one plain statement on the same index, as one would write it
# without the app: the newest matches (at most search.MAX_RESULTS), how many, and the
# best-ranked page of them with their headlines. Reported beside the target: the app
# reads the recent years first, which this statement does not.
ONE_STATEMENT_SEARCH = """
WITH query AS (SELECT websearch_to_tsquery('swedish', %(q)s) AS q),
found AS (
    SELECT e.id, e.vector, e.body, e.date, e.number
    FROM meetings_searchentry e, query WHERE e.vector @@ query.q
    ORDER BY e.date DESC, e.meeting_id DESC, e.number LIMIT %(most)s
)
SELECT id, ts_rank(vector, query.q) AS rank,
       ts_headline('swedish', body, query.q, 'MaxWords=30, MinWords=15'),
       count(*) OVER ()
FROM found, query ORDER BY rank DESC, date DESC, number LIMIT %(page)s
"""


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _search_statements(q: str) -> list[str]:
    """The SQL the app sends for a search's first page (finding, ranking the page),
    exactly as sent, to be run bare on the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.public import search
    from meetings.views.public import PAGE_SIZE, published

    with CaptureQueriesContext(connection) as context:
        matches = search.search(q, published=published())
        matches.count()
        matches[0:PAGE_SIZE]
    return [query["sql"] for query in context.captured_queries]


def measure_search(base: str, rounds: int = 4) -> dict:
    """Each query `rounds` times through the app server, after one warming round; as
    many times the app's own statements for it bare on the database (the target:
    what the app adds to its database work), the two taking turns to go first, and
    the one plain statement above."""
    from django.db import connection

    from meetings.public.search import MAX_RESULTS
    from meetings.views.public import PAGE_SIZE

    queries = [
        line.strip()
        for line in (ROOT / "bench" / "search_queries.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    statements = {q: _search_statements(q) for q in queries}
    app = {q: [] for q in queries}
    bare = {q: [] for q in queries}
    plain = {q: [] for q in queries}

    def timed(run, q) -> float:
        started = time.perf_counter()
        run(q)
        return (time.perf_counter() - started) * 1000

    def through_app(q):
        url = f"{base}/sok/?{urllib.parse.urlencode({'q': q})}"
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()

    with connection.cursor() as cursor:

        def run_bare(q):
            for sql in statements[q]:
                cursor.execute(sql)
                cursor.fetchall()

        def run_plain(q):
            cursor.execute(ONE_STATEMENT_SEARCH, {"q": q, "most": MAX_RESULTS, "page": PAGE_SIZE})
            cursor.fetchall()

        for round_ in range(rounds + 1):
            for q in queries:
                # Whichever of the app and the bare statements runs first after another
                # query's pays for bringing this query's pages and plan back (bench/
                # measured the app at p95 1.57 x bare when it always ran first, 1.24
                # when it always ran second): so the query is run once unmeasured,
                # and the two take turns going first.
                run_bare(q)
                pair = [(through_app, app), (run_bare, bare)]
                for run, kept in pair if round_ % 2 else pair[::-1]:
                    value = timed(run, q)
                    if round_ > 0:
                        kept[q].append(value)
                value = timed(run_plain, q)
                if round_ > 0:
                    plain[q].append(value)

    def everything(kept):
        return [t for values in kept.values() for t in values]

    def slowest(kept):
        return {
            q: round(statistics.median(kept[q]), 1)
            for q in sorted(queries, key=lambda q: -statistics.median(kept[q]))[:5]
        }

    timings = sorted(everything(app))
    return {
        "queries": len(queries),
        "samples": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_p95(timings), 1),
        "max_ms": round(timings[-1], 1),
        "slowest": slowest(app),
        "bare_p50_ms": round(statistics.median(everything(bare)), 1),
        "bare_p95_ms": round(_p95(everything(bare)), 1),
        "ratio_p95": round(_p95(timings) / _p95(everything(bare)), 2),
        "bare_slowest": slowest(bare),
        "one_statement_p50_ms": round(statistics.median(everything(plain)), 1),
        "one_statement_p95_ms": round(_p95(everything(plain)), 1),
    }


# --- The whole run -------------------------------------------------------------------


def main() -> int:
    args = arguments()
    if not shutil.which("ab"):
        log("ApacheBench (ab) is missing: apt-get install apache2-utils")
        return 2
    started = time.perf_counter()
    environ = prepare_environment(args)
    build = create_database(args)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset
    from meetings.models import Meeting, Paragraph

    result = {"scale": vars(args) | {"cores": os.cpu_count()}}
    log("== Migrating")
    call_command("migrate", verbosity=0)
    if build:
        log("== Building the data set")
        t = time.perf_counter()
        counts = dataset.build(
            organisations=args.organisations,
            years=args.years,
            meetings=args.meetings,
            paragraphs=args.paragraphs,
            progress=log,
        )
        result["dataset"] = {**counts, "seconds": round(time.perf_counter() - t, 1)}
    else:
        result["dataset"] = {"reused": True}
    result["dataset"]["protocols"] = Meeting.objects.filter(justerat_at__isnull=False).count()
    result["dataset"]["paragraphs_total"] = Paragraph.objects.count()
    dataset.check_against_export(Meeting.objects.filter(justerat_at__isnull=False).last())
    log(f"   {result['dataset']}")

    draft = draft_protocol(args.paragraphs)
    log("== Background work: the kallelse to 12 and the last approval")
    from bench import background

    result["background"] = background.measure(draft)
    log(f"   {result['background']}")
    if args.background_only:
        Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return 0

    log("== PDF")
    pdf = measure_pdf(draft)
    sealed = Path(environ["MEDIA_ROOT"]) / dataset.PDF_NAME
    sealed.parent.mkdir(parents=True, exist_ok=True)
    sealed.write_bytes(pdf.pop("sample"))
    result["pdf"] = pdf
    log(f"   {pdf}")

    log("== Verification")
    result["verification"] = measure_verification()
    log(f"   {result['verification']}")

    log("== Queries per page")
    result["queries"] = measure_queries(draft)
    protocol_bytes = result["queries"]["public: protocol"]["bytes"]

    log("== Cold start: a fresh worker's first request")
    result["cold_start"] = measure_cold_start(environ, result["queries"]["public: protocol"]["url"])
    log(f"   {result['cold_start']}")

    # A static file as large as the protocol page, served by the same server.
    static = Path(environ["STATIC_ROOT"]) / "bench" / "sida.html"
    static.parent.mkdir(parents=True, exist_ok=True)
    static.write_bytes(b"x" * protocol_bytes)

    workers = 2 * (os.cpu_count() or 1) + 1
    log(f"== Load: gunicorn with {workers} workers, {args.requests} requests per run")
    process, base = start_gunicorn(environ, workers)
    try:
        protocol = result["queries"]["public: protocol"]["url"]
        # A session cookie (of no session) passes the page cache: the page is rendered
        # for every request, as for a logged-in reader.
        pages = {
            "static file": ("/static/bench/sida.html", ""),
            "protocol page": (protocol, ""),
            "year list": (result["queries"]["public: year"]["url"], ""),
            "protocol, rendered": (protocol, "sessionid=none"),
            # Sealed once on its first request (made here by the query count), then
            # served as stored, like the protocol's PDF.
            "extract (utdrag)": (result["queries"]["public: extract (utdrag)"]["url"], ""),
            # The API as a client reads it: shared by the page cache like the pages.
            "OParl meeting": (result["queries"]["public: OParl meeting"]["url"], ""),
        }
        result["load"] = measure_load(base, pages, args.requests)
        log("== ETag and compression")
        result["http_caching"] = measure_http_caching(base, protocol, args.requests)
        log("== Search")
        result["search"] = measure_search(base)
        result["worker_peak_rss_mib"] = round(
            max(peak_rss_mib(p) for p in worker_pids(process.pid)), 1
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["targets"] = evaluate(result)

    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_table(result)
    log(f"JSON: {args.output}")
    return 0 if all(t["met"] for t in result["targets"].values()) else 1


def evaluate(result: dict) -> dict:
    load = result["load"]
    targets = {}
    for page in ("protocol page", "year list"):
        for clients in (1, 4, 16):
            ratio = (
                load[f"{page} @{clients}"]["requests_per_s"]
                / load[f"static file @{clients}"]["requests_per_s"]
            )
            targets[f"{page} throughput / static @{clients}"] = {
                "value": round(ratio, 2),
                "target": f">= {TARGETS['throughput_ratio_min']}",
                "met": ratio >= TARGETS["throughput_ratio_min"],
            }
        p99 = load[f"{page} @16"]["p99_ms"]
        targets[f"{page} p99 @16 (ms)"] = {
            "value": p99,
            "target": f"<= {TARGETS['p99_ms_at_16_max']}",
            "met": p99 <= TARGETS["p99_ms_at_16_max"],
        }
    public = [
        v["queries"]
        for k, v in result["queries"].items()
        if k.startswith("public") and "list page" not in k and "OParl meeting list" not in k
    ]
    protocol_pages = [
        v["queries"] for k, v in result["queries"].items() if k.startswith("public: protocol")
    ]
    oparl = load["OParl meeting @16"]["requests_per_s"] / load["static file @16"]["requests_per_s"]
    targets["OParl meeting throughput / static @16"] = {
        "value": round(oparl, 2),
        "target": f">= {TARGETS['throughput_ratio_min']}",
        "met": oparl >= TARGETS["throughput_ratio_min"],
    }
    # A list page of 100 meetings with their agenda items and files (tests/oparl
    # asserts the same count at 10 and 100).
    listed = result["queries"]["public: OParl meeting list"]["queries"]
    targets["queries per OParl list page of 100 meetings"] = {
        "value": listed,
        "target": f"<= {TARGETS['queries_open_data_list_max']}",
        "met": listed <= TARGETS["queries_open_data_list_max"],
    }
    # The extract is reported, not held to the page's target: a sealed PDF (27 kB)
    # from the storage through Django, against a static file of the page's size.
    result["extract_throughput_ratio"] = {
        clients: round(
            load[f"extract (utdrag) @{clients}"]["requests_per_s"]
            / load[f"static file @{clients}"]["requests_per_s"],
            2,
        )
        for clients in (1, 4, 16)
    }
    targets["queries per public page (max)"] = {
        "value": max(public),
        "target": f"<= {TARGETS['queries_public_max']}",
        "met": max(public) <= TARGETS["queries_public_max"],
    }
    secretary = [v["queries"] for k, v in result["queries"].items() if k.startswith("secretary")]
    targets["queries per secretary page (max)"] = {
        "value": max(secretary),
        "target": f"<= {TARGETS['queries_secretary_max']}",
        "met": max(secretary) <= TARGETS["queries_secretary_max"],
    }
    targets["queries per protocol page constant"] = {
        "value": protocol_pages[:2],
        "target": "equal for protocols of any size",
        "met": protocol_pages[0] == protocol_pages[1],
    }
    targets["PDF app / bare WeasyPrint"] = {
        "value": result["pdf"]["ratio"],
        "target": f"<= {TARGETS['pdf_ratio_max']}",
        "met": result["pdf"]["ratio"] <= TARGETS["pdf_ratio_max"],
    }
    targets["cold start: a fresh worker's first request (ms)"] = {
        "value": result["cold_start"]["first_ms"],
        "target": f"<= {TARGETS['cold_start_ms_max']}",
        "met": result["cold_start"]["first_ms"] <= TARGETS["cold_start_ms_max"],
    }
    targets["search p95 (ms)"] = {
        "value": result["search"]["p95_ms"],
        "target": f"<= {TARGETS['search_p95_ms_max']}",
        "met": result["search"]["p95_ms"] <= TARGETS["search_p95_ms_max"],
    }
    targets["search p95 app / bare PostgreSQL"] = {
        "value": result["search"]["ratio_p95"],
        "target": f"<= {TARGETS['search_ratio_max']}",
        "met": result["search"]["ratio_p95"] <= TARGETS["search_ratio_max"],
    }
    return targets


def print_table(result: dict) -> None:
    log("\nLoad (ApacheBench on loopback)")
    log(f"  {'page':<20}{'clients':>8}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'failed':>8}")
    for name, row in result["load"].items():
        page = name.rsplit(" @", 1)[0]
        log(
            f"  {page:<20}{row['clients']:>8}{row['requests_per_s']:>10.1f}"
            f"{row['p50_ms']:>10.1f}{row['p99_ms']:>10.1f}{row['failed']:>8}"
        )
    log("\nQueries per page")
    for name, row in result["queries"].items():
        log(f"  {name:<36}{row['status']:>5}{row['queries']:>5} queries{row['bytes']:>9} bytes")
    log("\nETag and compression (protocol page, 16 clients)")
    for name, row in result["http_caching"].items():
        log(
            f"  {name:<20}{row['requests_per_s']:>10.1f} req/s{row['p99_ms']:>8.1f} ms p99"
            f"{row['body_bytes']:>9} bytes"
        )
    pdf = result["pdf"]
    log(
        f"\nPDF ({pdf['paragraphs']} paragraphs): through the app {pdf['app_s']} s, bare "
        f"WeasyPrint {pdf['bare_weasyprint_s']} s (same options), "
        f"{pdf['bare_plain_weasyprint_s']} s (plain): ratio {pdf['ratio']}; the whole "
        f"justering (export, render and seal the original and the public version, store) "
        f"{pdf['justera_s']} s ({pdf['justera_ratio']} x bare)"
    )
    s = result["search"]
    log(
        f"Search ({s['queries']} queries): p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
        f"max {s['max_ms']} ms; the app's own statements bare on PostgreSQL p50 "
        f"{s['bare_p50_ms']} ms, p95 {s['bare_p95_ms']} ms; the same answer in one plain "
        f"statement p50 {s['one_statement_p50_ms']} ms, p95 {s['one_statement_p95_ms']} ms; "
        f"slowest through the app {s['slowest']}"
    )
    log(
        f"Extract (utdrag) throughput / static file at 1, 4, 16 clients: "
        f"{list(result['extract_throughput_ratio'].values())}"
    )
    v = result["verification"]
    log(
        f"Verification of a {v['pages']}-page sealed protocol ({v['pdf_bytes']} bytes): "
        f"verify {v['verify_ms']} ms, the whole request {v['request_ms']} ms"
    )
    log(f"Worker peak memory: {result['worker_peak_rss_mib']} MiB")
    b = result["background"]
    for name, what in (("kallelse", "Kallelse to 12"), ("approval", "Last approval")):
        log(
            f"{what}: the request {b[name]['in_the_request_ms']} ms with the work in it, "
            f"{b[name]['queued_ms']} ms queued for a worker ({b[name]['fraction']} of it)"
        )
    log("\nTargets")
    for name, t in result["targets"].items():
        log(f"  {'met ' if t['met'] else 'MISS'}  {name}: {t['value']} ({t['target']})")
    log(f"\nWhole run: {result['seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
