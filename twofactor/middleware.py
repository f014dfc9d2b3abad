"""Keep half-signed-in editors out of the admin until the second step is done.

Wagtail's login checks the password and signs the session in; django-otp's
``OTPMiddleware`` (listed before this one) tells whether the session also
passed a code (``request.user.is_verified()``). For an editor with a
confirmed device and an unverified session, every admin URL redirects to the
code form; with ``DIALOG_REQUIRE_2FA`` an editor without a device is sent to
enrolment instead. Only the admin is guarded: public pages look the same to
every visitor (see docs/operations.md for what that leaves open).
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from cms.security import ADMIN_PREFIXES

from . import services

# Admin URLs a half-signed-in editor may still open: signing out, the login
# page itself and the assets the code form's page loads.
_ALWAYS_OPEN = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
)


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._redirect(request) or self.get_response(request)

    def _redirect(self, request):
        if not request.path.startswith(ADMIN_PREFIXES):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        # Wagtail itself refuses users without admin access; nothing to add.
        if not user.has_perm("wagtailadmin.access_admin"):
            return None
        if request.path in {reverse(name) for name in _ALWAYS_OPEN}:
            return None
        if services.has_device(user):
            target = reverse("twofactor:verify")
            if request.path == target:
                return None
        elif services.require_2fa():
            target = reverse("twofactor:setup")
            if request.path == target:
                return None
        else:
            return None
        next_url = (
            request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
        )
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
