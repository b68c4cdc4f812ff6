from django.urls import path

from meetings.views import justering

app_name = "justering"

urlpatterns = [
    path("<int:pk>/", justering.protocol, name="protocol"),
    path("<int:pk>/protokoll.pdf", justering.protocol_pdf, name="protocol_pdf"),
    path("<int:pk>/bilagor/<int:number>/", justering.bilaga, name="bilaga"),
    path("<int:pk>/justera/", justering.approve, name="approve"),
    path("<int:pk>/justera/e-legitimation/", justering.approve_signed, name="approve_signed"),
    path("<int:pk>/andring/", justering.request_change, name="request_change"),
    path("<int:pk>/kommentar/", justering.comment, name="comment"),
    path(
        "<int:pk>/rattelse/<int:rattelse_id>/", justering.approve_rattelse, name="approve_rattelse"
    ),
    path(
        "<int:pk>/rattelse/<int:rattelse_id>/e-legitimation/",
        justering.approve_rattelse_signed,
        name="approve_rattelse_signed",
    ),
    path(
        "<int:pk>/rattelse/<int:rattelse_id>/invandning/",
        justering.object_to_rattelse,
        name="object_to_rattelse",
    ),
]
