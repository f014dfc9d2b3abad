"""Two-step verification URLs, mounted under /admin/2fa/ by wagtail_hooks.py.

Wagtail wraps them in its admin-access check: only signed-in editors reach them.
"""

from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", views.SetupView.as_view(), name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
    path("verify/", views.verify, name="verify"),
]
