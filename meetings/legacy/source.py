"""A legacy protocol's text, as the parser reads it: from a text file or a text-based
PDF (pdftotext, keeping the layout so that columns stay apart), with page headers
and footers dropped and words broken at a line end joined again.

A PDF without text (a scan) is refused with the reason: it needs OCR, and a guess
would be worse than nothing."""

import hashlib
import os
import re
import resource
import signal
import subprocess
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from meetings.legacy import margins
from meetings.legacy.parse import HEADING

MAX_BYTES = 20 * 1024 * 1024
# The program that reads a PDF's text (poppler-utils); a name on PATH.
PDFTOTEXT = "pdftotext"


class NotAProtocol(Exception):
    """A file that cannot be read as a protocol; the message says why, in Swedish."""


@dataclass
class Source:
    filename: str
    kind: str  # "pdf" or "text"
    sha256: str
    raw: bytes
    text: str  # cleaned, as parsed
    running_heads: str = ""  # the lines dropped as page headers and footers


PAGE_NUMBER = re.compile(
    r"^\s*(sida\s+\d+(\s*(av|\()\s*\d+\)?)?|\d+\s*\(\s*\d+\s*\)|\d+\s*/\s*\d+|-\s*\d+\s*-|\d+)\s*$",
    re.IGNORECASE,
)
# The initials box at a page's foot: "Justerandes sign", "Utdragsbestyrkande",
# "Justerare: ________  ________" (a label and lines to sign on only).
SIGNATURE_FOOTER = re.compile(r"^\s*((justerandes?\s+(signatur|sign\.?)|utdragsbestyrkande)\b.*|"
                              r"(justerare|justerandes|sign\.?|signatur)\s*:?(\s*[_.…]{4,})+\s*)$",
                              re.IGNORECASE)  # fmt: skip


def read(filename: str, data: bytes, *, seconds: float | None = None) -> Source:
    """The protocol's text from the file's bytes; NotAProtocol when there is none.
    A PDF is read within `seconds` (LEGACY_PDF_SECONDS unless told)."""
    if len(data) > MAX_BYTES:
        raise NotAProtocol(_("The file is larger than 20 MB."))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF"):
        pages = _pdf_pages(data, settings.LEGACY_PDF_SECONDS if seconds is None else seconds)
        if not "".join(pages).strip():
            raise NotAProtocol(
                _(
                    "The PDF has no text (a scanned paper?): it needs OCR first, which Paragraf "
                    "does not guess at."
                )
            )
        return Source(filename, "pdf", digest, data, *clean_pages(pages))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise NotAProtocol(_("The file is neither a PDF nor text.")) from None
    if "\x00" in text:
        raise NotAProtocol(_("The file is neither a PDF nor text."))
    return Source(filename, "text", digest, data, *clean_pages(text.split("\f")))


def _limits() -> None:  # pragma: no cover - runs in the child, before pdftotext
    """A crafted PDF of a few kB can make pdftotext run for minutes or take gigabytes:
    its address space is bounded (it fails instead of pushing the server into swap)
    and so is its processor time, should the timeout below ever miss it."""
    memory = settings.LEGACY_PDF_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(settings.LEGACY_PDF_SECONDS) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _pdf_pages(data: bytes, seconds: float) -> list[str]:
    """pdftotext's pages, within `seconds`: well inside the app server's own timeout,
    so that a file that takes longer is refused with the reason, not a dead worker."""
    try:
        process = subprocess.Popen(
            [PDFTOTEXT, "-layout", "-enc", "UTF-8", "-", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_limits,
            start_new_session=True,
        )
    except FileNotFoundError:  # pragma: no cover - poppler-utils is a dependency
        raise NotAProtocol(_("pdftotext (poppler-utils) is not installed.")) from None
    with process:
        try:
            out, _err = process.communicate(data, timeout=max(seconds, 0.1))
        except subprocess.TimeoutExpired:
            # Its whole process group: a child it started would keep the pipe open.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise NotAProtocol(
                _(
                    "The PDF could not be read within %(seconds)s seconds: it may be damaged "
                    "or made to be slow to read. The other files are not affected."
                )
                % {"seconds": round(seconds)}
            ) from None
    if process.returncode != 0:
        raise NotAProtocol(_("The file is not a readable PDF."))
    return out.decode("utf-8", "replace").split("\f")


def _key(line: str) -> str:
    """A line as it repeats on every page: digits (page numbers) left out."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def clean_pages(pages: list[str]) -> tuple[str, str]:
    """The pages as one text: the lines that repeat at the top or bottom of most pages
    (the running head, "Sida 2 av 5", "Justerandes signatur") dropped, hyphenated
    line ends joined; and the running head and foot once (the organisation's name
    may be only there)."""
    pages = [p for p in pages if p.strip()]
    split = [[line.rstrip() for line in p.replace("\r\n", "\n").split("\n")] for p in pages]
    edges: Counter = Counter()
    for lines in split:
        content = [x for x in lines if x.strip()]
        for line in {*content[:3], *content[-3:]}:
            edges[_key(line)] += 1
    repeated = {k for k, n in edges.items() if len(split) > 1 and n >= max(2, len(split) * 0.6)}
    out: list[str] = []
    heads: dict[str, str] = {}
    for lines in split:
        content = [i for i, x in enumerate(lines) if x.strip()]
        edge = set(content[:3] + content[-3:])
        for i, line in enumerate(lines):
            if i in edge and (_key(line) in repeated or PAGE_NUMBER.match(line)):
                heads.setdefault(_key(line), line.strip())
                continue
            if SIGNATURE_FOOTER.match(line):
                continue
            out.append(line)
        out.append("")
    # A margin column beside the text (a title, "Dnr 58/94", "Beslut") is taken apart
    # from it before line ends are joined, which would join a word of each.
    out = margins.unfold(out, HEADING)
    return dehyphenate("\n".join(out)).strip("\n") + "\n", "\n".join(heads.values())


HYPHENATED = re.compile(
    # "-", and the hyphens word processors put at a line end (U+2010, U+2011, soft).
    r"(\w+)[-\u2010\u2011\u00ad][ \t]*\n(?:[ \t]*\n)?[ \t]*"
    r"(?!(?:och|eller|samt|till)\b)([a-zåäöéü]\w*[.,;:)]*)"
)


def dehyphenate(text: str) -> str:
    """ "samver-\\nkan" → "samverkan" (a lower-case continuation only: "Region-\\nNord"
    and "10-\\n12" are left, and so is the hyphen after capitals: "LED-\\nbelysning",
    "A-\\nkassan")."""

    def joined(m: re.Match) -> str:
        if m[1].isupper() or m[1].isdigit():
            return f"{m[1]}-{m[2]}\n"
        return f"{m[1]}{m[2]}\n"

    return HYPHENATED.sub(joined, text)
