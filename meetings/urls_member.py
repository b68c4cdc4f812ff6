"""A member's reading of their bodies' meetings before publication, and the
uppdrag given to them."""

from django.urls import path

from meetings.views import member, uppdrag

app_name = "member"

urlpatterns = [
    path("", member.meetings, name="meetings"),
    path("<int:pk>/", member.meeting, name="meeting"),
    path("<int:pk>/protokoll.pdf", member.protocol_pdf, name="protocol_pdf"),
    path("<int:pk>/kallelse.pdf", member.kallelse_pdf, name="kallelse_pdf"),
    path("<int:pk>/bilagor/<int:number>/", member.bilaga, name="bilaga"),
    path("<int:pk>/handlingar/<int:handling_id>/", member.handling, name="handling"),
    path("uppdrag/", uppdrag.mine, name="uppdrag"),
    path("uppdrag/<int:uppdrag>/", uppdrag.edit, name="uppdrag_edit"),
]
