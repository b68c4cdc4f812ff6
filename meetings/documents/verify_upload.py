"""Reading a file someone offers to /verifiera/: within a size limit.

Anyone may upload there, so the request is refused before it is read when it says
it is too large, and the reading stops at the first chunk that goes past the limit,
instead of reading hundreds of megabytes to the end. A file that is not a PDF is
read too (within the limit): an imported original may be a text file, checked by
its SHA-256 alone.
"""

import io
import ipaddress

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from meetings.rules import throttle
from members.client_ip import client_ip

# Room for the form's other fields and the multipart boundaries.
OVERHEAD = 64 * 1024


def throttled(request: HttpRequest) -> int:
    """Counts this check against the client's VERIFY_PER_MINUTE: 0 when it may go
    on, else the seconds to wait. Each check costs seconds of processor time, and
    anyone may ask: a few clients in parallel slowed every page of the site. An IPv6
    client is its /64, the block one connection usually gets."""
    if settings.VERIFY_PER_MINUTE <= 0:
        return 0
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    except ValueError:
        pass
    return throttle.use(f"verify|{address}", limit=settings.VERIFY_PER_MINUTE, seconds=60)


def too_large(request: HttpRequest) -> bool:
    """The request says, before anything is read, that it is larger than allowed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.VERIFY_MAX_BYTES + OVERHEAD


class PdfOnlyUploadHandler(FileUploadHandler):
    """Keeps the upload in memory while it is within VERIFY_MAX_BYTES; stops reading
    the request as soon as it is not (`problem` then says so). `is_pdf`: whether it
    begins as a PDF does."""

    request: HttpRequest  # the request the view makes it for, always given

    def __init__(self, request: HttpRequest):
        super().__init__(request)
        self.problem = ""
        self.is_pdf = False
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int):
        if start == 0:
            self.is_pdf = raw_data.startswith(b"%PDF-")
        if start + len(raw_data) > settings.VERIFY_MAX_BYTES:
            self.problem = "too_large"
        if self.problem:
            # The rest is skipped unread when the request's length is unknown; else
            # it is bounded by too_large() and read past, so the browser gets the page.
            raise StopUpload(connection_reset=not self.request.META.get("CONTENT_LENGTH"))
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )
