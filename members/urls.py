"""An organisation administrator's screens, inside the workspace."""

from django.urls import path

from members import views

app_name = "organisation"

urlpatterns = [
    path("organ/", views.bodies, name="bodies"),
    path("personer/", views.people, name="people"),
    path("personer/<int:pk>/bjud-in/", views.person_invite, name="person_invite"),
    path("roller/", views.staff_roles, name="staff_roles"),
    path("roller/<int:pk>/ta-bort/", views.staff_role_remove, name="staff_role_remove"),
]
