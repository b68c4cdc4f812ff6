"""How long a bulk import of legacy protocols takes: 100 protocols (80 text, 20 PDF)
made from the test layouts with their dates and § numbers moved on, imported with
one `import_legacy` run into a fresh SQLite database (or DATABASE_URL).

    .venv/bin/python bench/legacy_import.py [--count 100]

Prints the seconds: the target is under a minute for 100 (issue 15).
"""

import argparse
import datetime
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEGACY = ROOT / "tests" / "meetings" / "data" / "legacy"


def text_variant(template: str, day: datetime.date, first: int) -> str:
    """The 2023 styrelse protocol moved to `day`, its § numbers from `first`."""
    numbers = iter(range(first, first + 100))
    text = re.sub(r"§(\d+)", lambda m: f"§{next(numbers)}", template)
    text = text.replace("Datum: 230531", f"Datum: {day:%y%m%d}")
    text = text.replace("2023-06-05", f"{day + datetime.timedelta(days=5)}")
    return text.replace("2023-06-07", f"{day + datetime.timedelta(days=7)}")


def pdf_variant(html: str, day: datetime.date, first: int) -> bytes:
    import weasyprint

    numbers = iter(range(first, first + 100))
    html = re.sub(r"§ (4[5-8])", lambda m: f"§ {next(numbers)}", html)
    return weasyprint.HTML(string=html.replace("2022-10-17", f"{day}")).write_pdf()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="paragraf-legacy-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATA_DIR", str(work))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutes_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from members.models import Body, Organisation

    call_command("migrate", verbosity=0)
    for name, slug, number in (
        ("Samordningsförbundet Älvdalen", "alvdalen", "222000-0001"),
        ("Samordningsförbundet Västkusten", "vastkusten", "222000-0002"),
    ):
        org = Organisation.objects.create(name=name, slug=slug, organisation_number=number)
        Body.objects.create(organisation=org, name="Styrelsen", slug="styrelse", kind="styrelse")
        Body.objects.create(
            organisation=org, name="Arbetsutskottet", slug="au", kind="arbetsutskott"
        )
    text = (LEGACY / "styrelse-2023-05-31.txt").read_text()
    html = (LEGACY / "au-2022-10-17.html").read_text()
    files = {"alvdalen": [], "vastkusten": []}
    start = datetime.date(2012, 1, 9)
    pdfs = args.count // 5
    for i in range(args.count - pdfs):
        day = start + datetime.timedelta(weeks=2 * i)
        first = 1 + 10 * sum(
            1 for j in range(i) if (start + datetime.timedelta(weeks=2 * j)).year == day.year
        )
        path = work / f"styrelse-{day}.txt"
        path.write_text(text_variant(text, day, first))
        files["alvdalen"].append(path)
    for i in range(pdfs):
        day = start + datetime.timedelta(weeks=4 * i, days=1)
        first = 1 + 4 * sum(
            1 for j in range(i) if (start + datetime.timedelta(weeks=4 * j)).year == day.year
        )
        path = work / f"au-{day}.pdf"
        path.write_bytes(pdf_variant(html, day, first))
        files["vastkusten"].append(path)
    began = time.monotonic()
    with open(os.devnull, "w") as quiet:
        for slug, paths in files.items():
            call_command(
                "import_legacy",
                "--publish-unreviewed",
                "--organisation",
                slug,
                *map(str, paths),
                stderr=quiet,
            )
    seconds = time.monotonic() - began
    from meetings.models import Meeting

    imported = Meeting.objects.filter(status="publicerat").count()
    print(
        f"Imported {imported} legacy protocols ({args.count - pdfs} text, {pdfs} PDF) "
        f"in {seconds:.1f} s: {'within' if seconds < 60 else 'OVER'} the minute."
    )
    sys.exit(0 if seconds < 60 and imported == args.count else 1)


if __name__ == "__main__":
    main()
