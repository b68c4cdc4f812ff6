"""Byte ranges (RFC 9110, 14) of a stored file: a reader that resumes a download or
shows a long PDF page by page asks for a part of it. One range at a time; several
ranges, or a range asked of another version of the file (If-Range), get the whole."""

import re

from django.http import HttpRequest, HttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def part(request: HttpRequest, size: int, etag: str) -> tuple[int, int] | bool | None:
    """The (first, last) byte asked for; None for the whole file; False when the
    range lies outside the file (416)."""
    asked = request.headers.get("Range", "").replace(" ", "")
    if request.method != "GET" or not (found := RANGE.match(asked)):
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != etag:
        return None  # the reader holds another version: it gets this one whole
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        return (max(0, size - length), size - 1) if length else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def partial_response(stored, size: int, asked: tuple[int, int] | bool, content_type: str):
    """206 with the bytes asked for, or 416 when none of them exist."""
    if asked is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = asked
    with stored.open("rb") as f:
        f.seek(first)
        data = f.read(last - first + 1)
    response = HttpResponse(data, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
