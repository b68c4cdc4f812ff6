"""The models of meetings: a meeting, its protocol and what is kept of it.

Import them from here (`from meetings.models import Meeting`); the modules only
divide the rows by what they are, each importing from `protocol` and none from
another:

- `protocol.py`: the meeting (Meeting, STATUS_MOVES, paragraph_url) and the rows its
  protocol is written in: CoSecretary, Justerare, Paragraph, Attendance
  (presence_note), Decision, Uppdrag, Reservation, Jav; the abstract bases of the
  other modules' rows (PartOfProtocol, ArchiveRecord), the protocol's lock
  (lock_protocol, unchangeable_reason) and its errors (NotNow, StatusMoveRefused,
  ProtocolFrozen).
- `handlingar.py`: the papers of a meeting: Kallelse, Handling (HandlingQuerySet)
  and the protocol's Bilaga, with where their files are stored.
- `justering.py`: the justerare's Approval of a version, and their Comment.
- `archive.py`: what stays of a justerat protocol: ArchivedProtocol, PublicProtocol,
  Protokollsutdrag, AuditEvent, Rattelse, with where their files are stored.
- `site.py`: what the public site and the open-data API keep: SearchEntry,
  CachedPage, Throttle, OpenDataDeletion, StoredFileFacts.
- `legacy.py`: LegacyUpload, a legacy protocol under review for import.
- `followup.py`: FollowUp, what became of an uppdrag (beslutsuppföljning), and
  FollowUpReminder, each reminder its assignee was mailed.
- `matter.py`: Matter, an ärende by its diarienummer, and MatterLink, the paragraphs
  that handle it (filed whenever a paragraph is saved).
- `work.py`: QueuedWork, what a worker does for a meeting (a kallelse, a sealing).

The functions that name stored files (`*_upload_to`) are re-exported too: the
migrations refer to them as `meetings.models.<name>`.
"""

# In the order the single models.py declared them: the order the models register
# in decides the order of the app registry (and so of reverse relations and of the
# rows a deletion collects). Only LegacyUpload now comes after OpenDataDeletion and
# StoredFileFacts, which have no relations: no model's relations change order.
# isort: off
from meetings.models.protocol import (
    JUSTERING_DAYS,
    STATUS_MOVES,
    ArchiveRecord,
    Attendance,
    CoSecretary,
    Decision,
    Jav,
    Justerare,
    Meeting,
    NotNow,
    Paragraph,
    PartOfProtocol,
    ProtocolFrozen,
    Reservation,
    StatusMoveRefused,
    Uppdrag,
    lock_protocol,
    paragraph_url,
    presence_note,
    unchangeable_reason,
)
from meetings.models.handlingar import (
    Bilaga,
    Handling,
    HandlingQuerySet,
    Kallelse,
    bilaga_upload_to,
    handling_upload_to,
)
from meetings.models.justering import Approval, Comment
from meetings.models.archive import (
    ArchivedProtocol,
    AuditEvent,
    Protokollsutdrag,
    PublicProtocol,
    Rattelse,
    archive_upload_to,
    public_upload_to,
    rattelse_upload_to,
    utdrag_upload_to,
)
from meetings.models.site import (
    CachedPage,
    OpenDataDeletion,
    SearchEntry,
    StoredFileFacts,
    Throttle,
)
from meetings.models.legacy import LegacyUpload, legacy_upload_to
from meetings.models.work import QueuedWork
from meetings.models.followup import FollowUp, FollowUpReminder
from meetings.models.matter import Matter, MatterLink, diarienummer_key
# isort: on

__all__ = [
    "JUSTERING_DAYS",
    "STATUS_MOVES",
    "Approval",
    "ArchiveRecord",
    "ArchivedProtocol",
    "Attendance",
    "AuditEvent",
    "Bilaga",
    "CachedPage",
    "CoSecretary",
    "Comment",
    "Decision",
    "FollowUp",
    "FollowUpReminder",
    "Handling",
    "HandlingQuerySet",
    "Jav",
    "Justerare",
    "Kallelse",
    "LegacyUpload",
    "Matter",
    "MatterLink",
    "Meeting",
    "NotNow",
    "OpenDataDeletion",
    "Paragraph",
    "PartOfProtocol",
    "ProtocolFrozen",
    "Protokollsutdrag",
    "PublicProtocol",
    "QueuedWork",
    "Rattelse",
    "Reservation",
    "SearchEntry",
    "StatusMoveRefused",
    "StoredFileFacts",
    "Throttle",
    "Uppdrag",
    "archive_upload_to",
    "bilaga_upload_to",
    "diarienummer_key",
    "handling_upload_to",
    "legacy_upload_to",
    "lock_protocol",
    "paragraph_url",
    "presence_note",
    "public_upload_to",
    "rattelse_upload_to",
    "unchangeable_reason",
    "utdrag_upload_to",
]
