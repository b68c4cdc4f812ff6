"""The public archive as open data: a read-only OParl 1.1 API (docs/oparl.md).

Everything it says of a protocol is read from the protocol's public version (the
same document the public pages read), of a coming meeting from the public agenda
its kallelse stored, and of people only their name, seats, party and role. The
modules: `addresses` (the stable ids), `objects` (a row or document to an OParl
object), `lists` (pages and the created/modified filters), `deletions` (what is
gone), `files` (the facts of a downloadable file), `views`.
"""

OPARL_VERSION = "https://schema.oparl.org/1.1/"
# The Swedish extensions (sv:justerat, sv:anslag …) are documented in docs/oparl.md.
