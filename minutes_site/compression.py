"""Compression of what the public reads, and of nothing else; and of the static
files, which are the same for everyone.

A page that carries a CSRF token or a person's own data must not be compressed
(BREACH: a secret in a compressed body leaks through its length). The pages the
views mark `Cache-Control: public` are those anonymous visitors read, the same for
everyone and without a token, so those, and only those, are compressed."""

import gzip
import hashlib
import os
import re
from pathlib import Path
from wsgiref.headers import Headers

import brotli
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import StaticFile

# Text compresses well; a PDF or an image hardly, and is served as stored (its ETag
# and length are the file's).
COMPRESSED_TYPES = ("text/", "application/json", "application/atom+xml", "application/xml")


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if (
            "public" not in response.get("Cache-Control", "")
            or response.cookies
            or response.streaming
            or not response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
        ):
            return response
        accepts = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if (
            ACCEPTS_BROTLI.search(accepts)
            and len(response.content) >= 200
            and not response.has_header("Content-Encoding")
        ):
            return _brotli(response)
        return super().process_response(request, response)


# "br" in Accept-Encoding, unless refused with q=0.
ACCEPTS_BROTLI = re.compile(
    r"(?:^|,)\s*br\s*(?:;\s*q\s*=\s*(?!0(?:\.0*)?\s*(?:,|$))[\d.]+)?\s*(?:,|$)"
)


def _brotli(response):
    """The body in Brotli (smaller than gzip for text; every current browser reads it)."""
    patch_vary_headers(response, ("Accept-Encoding",))
    compressed = brotli.compress(response.content, mode=brotli.MODE_TEXT, quality=5)
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag  # another representation (RFC 9110 8.8.1)
    response.headers["Content-Encoding"] = "br"
    return response


# The static files worth compressing: text (the vendored CSS and JavaScript above all).
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".txt", ".map", ".html", ".xml")


class CompressingWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, serving each text file gzip- or Brotli-compressed as the browser
    asks. The vendored files are served where they lie (WHITENOISE_USE_FINDERS: a
    node needs no collectstatic), so the compressed copies are made here, once a file
    and again when it changes, in STATIC_ROOT/komprimerade/."""

    def get_static_file(self, path, url, stat_cache=None):
        if not path.endswith(COMPRESSIBLE) or not os.path.isfile(path):
            # (Not there: WhiteNoise's own answer, MissingFileError, looks further.)
            return super().get_static_file(path, url, stat_cache=stat_cache)
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        if self.allow_all_origins:
            headers["Access-Control-Allow-Origin"] = "*"
        if self.add_headers_function is not None:
            self.add_headers_function(headers, path, url)
        return StaticFile(path, headers.items(), encodings=compressed_copies(path))


def compressed_copies(path: str) -> dict[str, str]:
    """{"br": …, "gzip": …}: the file's compressed copies, made when missing or older
    than the file (written under another name and renamed: several workers may start
    at once)."""
    folder = Path(settings.STATIC_ROOT) / "komprimerade"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{hashlib.sha256(path.encode()).hexdigest()[:16]}-{Path(path).name}"
    changed = os.stat(path).st_mtime
    copies = {"br": folder / f"{stem}.br", "gzip": folder / f"{stem}.gz"}
    for encoding, copy in copies.items():
        if copy.exists() and copy.stat().st_mtime >= changed:
            continue
        data = Path(path).read_bytes()
        packed = (
            brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)
            if encoding == "br"
            else gzip.compress(data, compresslevel=9, mtime=0)
        )
        partial = copy.with_suffix(f"{copy.suffix}.{os.getpid()}")
        partial.write_bytes(packed)
        partial.replace(copy)
    return {encoding: str(copy) for encoding, copy in copies.items()}
