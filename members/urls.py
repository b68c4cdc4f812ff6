"""An organisation administrator's screens, inside the workspace."""

from django.urls import path

from members import views

app_name = "organisation"

urlpatterns = [
    path("organ/", views.bodies, name="bodies"),
    path("organ/<slug:body>/ledamoter/", views.memberships, name="memberships"),
    path("organ/<slug:body>/ledamoter/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("organ/<slug:body>/ledamoter/ny-mandatperiod/", views.new_term, name="new_term"),
    path("personer/", views.people, name="people"),
    path("personer/<int:pk>/bjud-in/", views.person_invite, name="person_invite"),
    path("roller/", views.staff_roles, name="staff_roles"),
    path("inloggning/", views.identity_providers, name="identity"),
    path("inloggning/<int:pk>/testa/", views.identity_test, name="identity_test"),
    path("roller/<int:pk>/ta-bort/", views.staff_role_remove, name="staff_role_remove"),
]
