"""What an uploaded file really is, judged by its content, not by its name.

A bilaga is published with the protocol, so a file must be what it claims: a PDF
whose name says .docx, or a program named .pdf, is refused.
"""

import zipfile
from pathlib import PurePath

# kind → the file name endings that kind may carry
KINDS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "ole": {".doc", ".xls"},  # Word 97–2003 and Excel 97–2003 share one container format
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
}
ALLOWED_ENDINGS = sorted(ending for endings in KINDS.values() for ending in endings)


def detect_kind(upload) -> str | None:
    """The kind of the uploaded file from its first bytes (and, for Office Open XML,
    the names inside the zip), or None if it is none we accept."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            # Only the zip's directory is read, never its content: no zip bomb unpacks.
            names = set(zipfile.ZipFile(upload).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def ending(filename: str) -> str:
    return PurePath(filename).suffix.lower()
