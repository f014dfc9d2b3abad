"""Public routes of registration; a site mounts them once, e.g. under ``udzial/``."""

from django.urls import path

from . import views

app_name = "programmes_registration"

urlpatterns = [
    path("register/<int:meeting_id>/", views.register, name="register"),
    path("apply/<int:group_id>/", views.apply, name="apply"),
    # The token carries the booking (or application) id and a timestamp, signed.
    path("cancel/<str:token>/", views.cancel, name="cancel"),
]
