"""The format's name and versions (docs/protocol-format.md): what the writer says
and the reader accepts."""

FORMAT_NAME = "paragraf.protocol"
FORMAT_VERSION = 2
# Version 1 named one "secretary"; version 2 lists "secretaries". Both are read.
READS = (1, 2)
