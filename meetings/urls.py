from django.urls import path

from meetings.views import followup, handlingar, legacy, secretary

app_name = "workspace"

urlpatterns = [
    path("", secretary.dashboard, name="dashboard"),
    # Beslutsuppföljning: the uppdrag of the justerat protocols, followed to done.
    path("uppfoljning/", followup.follow_ups, name="follow_ups"),
    path("uppfoljning/<int:uppdrag>/", followup.follow_up_edit, name="follow_up_edit"),
    path("import/", legacy.uploads, name="legacy_uploads"),
    path("import/<int:upload>/", legacy.review_upload, name="legacy_review"),
    path("import/<int:upload>/ta-bort/", legacy.discard, name="legacy_discard"),
    path("sammantraden/nytt/", secretary.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", secretary.meeting_detail, name="meeting"),
    path("sammantraden/<int:pk>/andra/", secretary.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/installa/", secretary.meeting_cancel, name="meeting_cancel"),
    path("sammantraden/<int:pk>/punkter/ny/", secretary.item_add, name="item_add"),
    path("sammantraden/<int:pk>/punkter/<int:item>/", secretary.paragraph_edit, name="paragraph"),
    path(
        "sammantraden/<int:pk>/punkter/<int:item>/historik/",
        secretary.paragraph_changes,
        name="paragraph_history",
    ),
    path("sammantraden/<int:pk>/punkter/<int:item>/flytta/", secretary.item_move, name="item_move"),
    path(
        "sammantraden/<int:pk>/punkter/<int:item>/ta-bort/",
        secretary.item_remove,
        name="item_remove",
    ),
    path(
        "sammantraden/<int:pk>/forslag/<int:decision>/ta-upp/",
        secretary.proposal_take_up,
        name="proposal_take_up",
    ),
    path(
        "sammantraden/<int:pk>/protokoll/starta/", secretary.protocol_start, name="protocol_start"
    ),
    path("sammantraden/<int:pk>/narvaro/", secretary.attendance_edit, name="attendance"),
    path("sammantraden/<int:pk>/bilagor/", secretary.bilagor, name="bilagor"),
    path(
        "sammantraden/<int:pk>/bilagor/<int:number>/",
        secretary.bilaga_download,
        name="bilaga_download",
    ),
    path(
        "sammantraden/<int:pk>/bilagor/<int:number>/andra/",
        secretary.bilaga_edit,
        name="bilaga_edit",
    ),
    path(
        "sammantraden/<int:pk>/bilagor/<int:number>/flytta/",
        secretary.bilaga_move,
        name="bilaga_move",
    ),
    path(
        "sammantraden/<int:pk>/bilagor/<int:number>/ta-bort/",
        secretary.bilaga_remove,
        name="bilaga_remove",
    ),
    path("sammantraden/<int:pk>/handlingar/", handlingar.handlingar, name="handlingar"),
    path(
        "sammantraden/<int:pk>/handlingar/<int:handling_id>/",
        handlingar.handling_download,
        name="handling_download",
    ),
    path(
        "sammantraden/<int:pk>/handlingar/<int:handling_id>/ta-bort/",
        handlingar.handling_remove,
        name="handling_remove",
    ),
    path(
        "sammantraden/<int:pk>/handlingar/<int:handling_id>/till-bilaga/",
        handlingar.handling_to_bilaga,
        name="handling_to_bilaga",
    ),
    path("sammantraden/<int:pk>/utkast.pdf", secretary.draft_pdf, name="draft_pdf"),
    path("sammantraden/<int:pk>/kallelse.pdf", secretary.kallelse_pdf, name="kallelse_pdf"),
    path("sammantraden/<int:pk>/kallelse/skicka/", secretary.kallelse_send, name="kallelse_send"),
    path(
        "sammantraden/<int:pk>/kallelse/forsok-igen/",
        secretary.kallelse_retry,
        name="kallelse_retry",
    ),
    path(
        "sammantraden/<int:pk>/utskick/<int:mail>/forsok-igen/",
        secretary.mail_retry,
        name="mail_retry",
    ),
    path(
        "sammantraden/<int:pk>/kallelse/bjud-in/",
        secretary.kallelse_invite,
        name="kallelse_invite",
    ),
    path("sammantraden/<int:pk>/justering/", secretary.justering_send, name="justering_send"),
    path("sammantraden/<int:pk>/protokoll.pdf", secretary.archive_pdf, name="archive_pdf"),
    path(
        "sammantraden/<int:pk>/protokoll-offentlig.pdf",
        secretary.public_version_pdf,
        name="public_version_pdf",
    ),
    path("sammantraden/<int:pk>/utdrag/<int:item>.pdf", secretary.utdrag_pdf, name="utdrag_pdf"),
    path("sammantraden/<int:pk>/rattelse/", secretary.rattelse_create, name="rattelse_create"),
    path(
        "sammantraden/<int:pk>/rattelse/<int:rattelse_id>.pdf",
        secretary.rattelse_pdf,
        name="rattelse_pdf",
    ),
    path("sammantraden/<int:pk>/publicera/", secretary.publish, name="publish"),
]
