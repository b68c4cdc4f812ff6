"""The protocol as JSON: one meeting's whole protocol, to export, archive and import.

The format is documented in docs/protocol-format.md. Export is deterministic, so that
export → import into an empty database → export gives the same bytes. Import is all
or nothing: the whole file is read and checked before anything is written, every
error names the field it is about (e.g. `paragraphs[3].decisions[0].kind`), and the
writes run in one transaction.

`export` writes a meeting's protocol, `reader` reads and checks a file without
touching the database; meetings/actions/protocol_import.py writes what the reader accepted.
"""

# The document layer: writing and reading the format. Importing a read document
# is a verb that builds on the services: meetings/actions/protocol_import.py.
from meetings.documents.protocol_json.export import dumps, export_protocol
from meetings.documents.protocol_json.format import FORMAT_NAME, FORMAT_VERSION, READS
from meetings.documents.protocol_json.reader import ProtocolFormatError, read_protocol

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "READS",
    "ProtocolFormatError",
    "dumps",
    "export_protocol",
    "read_protocol",
]
