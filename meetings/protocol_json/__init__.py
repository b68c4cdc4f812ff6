"""The protocol as JSON: one meeting's whole protocol, to export, archive and import.

The format is documented in docs/protocol-format.md. Export is deterministic, so that
export → import into an empty database → export gives the same bytes. Import is all
or nothing: the whole file is read and checked before anything is written, every
error names the field it is about (e.g. `paragraphs[3].decisions[0].kind`), and the
writes run in one transaction.

`export` writes a meeting's protocol, `reader` reads and checks a file without
touching the database, `importing` writes what the reader accepted.
"""

FORMAT_NAME = "paragraf.protocol"
FORMAT_VERSION = 2
# Version 1 named one "secretary"; version 2 lists "secretaries". Both are read.
READS = (1, 2)

from meetings.protocol_json.export import dumps, export_protocol  # noqa: E402
from meetings.protocol_json.importing import ImportResult, import_protocol  # noqa: E402
from meetings.protocol_json.reader import ProtocolFormatError, read_protocol  # noqa: E402

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "READS", "ImportResult", "ProtocolFormatError", "dumps",
    "export_protocol", "import_protocol", "read_protocol",
]  # fmt: skip
