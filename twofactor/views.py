"""Admin views: the code step after the password, enrolment, recovery codes, removal."""

import logging
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import CodeForm, LoginCodeForm

logger = logging.getLogger(__name__)

#: Recovery codes just issued, shown once by the next visit of the setup page.
NEW_CODES_SESSION_KEY = "twofactor_new_recovery_codes"


def _next_url(request) -> str:
    """Where to go after the code: the admin URL the editor asked for, never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _verified(request, device) -> None:
    # A new session key for the now fully signed-in session (as a login does).
    request.session.cycle_key()
    otp_login(request, device)
    if services.is_recovery_device(device):
        left = services.recovery_codes_left(request.user)
        # For the operator: a recovery code in use often means a lost phone.
        logger.info("User %s signed in with a recovery code; %d left", request.user.pk, left)
        messages.warning(
            request,
            ngettext(
                "You signed in with a recovery code, which is now used up. %(count)d code is "
                "left: if you lost your phone, switch two-step verification off and enrol the "
                "new phone, or generate new codes.",
                "You signed in with a recovery code, which is now used up. %(count)d codes are "
                "left: if you lost your phone, switch two-step verification off and enrol the "
                "new phone, or generate new codes.",
                left,
            )
            % {"count": left},
        )


def _issue_recovery_codes(request) -> None:
    request.session[NEW_CODES_SESSION_KEY] = services.new_recovery_codes(request.user)


def _throttle_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Try again in %(seconds)d second.",
        "Too many wrong codes. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def _credentials(user) -> dict:
    # The same key the login form uses, so django-axes counts one user name.
    return {getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.get_username()}


def verify(request):
    """The second step of the admin login: the code of the editor's confirmed device.

    Wrong codes count as failed logins for django-axes (per user name and
    address, in the city's schema): at the limit the session is signed out and
    the pair is locked out of the password step too. The device's own
    throttle (growing waits) applies on top and survives new password logins.
    """
    user = request.user
    next_url = _next_url(request)
    if getattr(user, "is_verified", lambda: False)() or not services.has_device(user):
        return redirect(next_url)
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)

    form = LoginCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        check = services.check_code(services.verification_devices(user), form.cleaned_data["code"])
        if check.ok:
            _verified(request, check.device)
            return redirect(next_url)
        if check.wait_seconds:
            form.add_error(None, _throttle_message(check.wait_seconds))
        else:
            form.add_error(
                "code",
                _(
                    "This code is not valid. Enter the current code from the app "
                    "or an unused recovery code."
                ),
            )
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return get_lockout_response(request, None, credentials)
    return TemplateResponse(
        request, "twofactor/verify.html", {"form": form, "next": next_url, "user": user}
    )


class SetupView(WagtailAdminTemplateMixin, TemplateView):
    """Enrol an authenticator app (QR code and secret, then a code) or see it is on."""

    template_name = "twofactor/setup.html"
    page_title = gettext_lazy("Two-step verification")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = services.confirmed_devices(user).first()
        context.update(
            device=device,
            required=services.require_2fa(),
            next=self.request.GET.get("next") or self.request.POST.get("next") or "",
            form=form or (LoginCodeForm() if device else CodeForm()),
        )
        if device is not None:
            # Codes just issued are shown on this one visit, never again.
            context.update(
                new_codes=self.request.session.pop(NEW_CODES_SESSION_KEY, None),
                codes_left=services.recovery_codes_left(user),
                continue_url=_next_url(self.request) if self.request.GET.get("next") else "",
            )
        else:
            pending = services.pending_device(user)
            issuer = services.issuer_name(getattr(self.request, "tenant", None))
            context.update(
                qr_svg=services.qr_svg(services.provisioning_uri(pending, issuer)),
                secret=services.secret_base32(pending),
                issuer=issuer,
            )
        return context

    def post(self, request, *args, **kwargs):
        """Confirm the device being enrolled with a code it shows."""
        user = request.user
        if services.has_device(user):
            return redirect("twofactor:setup")
        form = CodeForm(request.POST)
        if form.is_valid():
            pending = services.pending_device(user)
            check = services.check_code([pending], form.cleaned_data["code"])
            if check.ok:
                services.confirm(check.device)
                _verified(request, check.device)
                _issue_recovery_codes(request)
                messages.success(
                    request,
                    _("Two-step verification is on: every sign-in will ask for a code."),
                )
                # The setup page shows the recovery codes once, then leads on.
                setup = reverse("twofactor:setup")
                if request.POST.get("next"):
                    return redirect(f"{setup}?{urlencode({'next': _next_url(request)})}")
                return redirect(setup)
            if check.wait_seconds:
                form.add_error(None, _throttle_message(check.wait_seconds))
            else:
                form.add_error(
                    "code", _("This code is not valid. Check the phone's clock and try again.")
                )
        return self.render_to_response(self.get_context_data(form=form))


@require_POST
def recovery_codes(request):
    """A new set of recovery codes (the earlier ones stop working), shown once."""
    if not services.has_device(request.user):
        return redirect("twofactor:setup")
    _issue_recovery_codes(request)
    messages.success(request, _("New recovery codes: the earlier ones no longer work."))
    return redirect("twofactor:setup")


@require_POST
def remove(request):
    """Switch two-step verification off, proven by a current code or a recovery code."""
    user = request.user
    form = LoginCodeForm(request.POST)
    if form.is_valid():
        check = services.check_code(services.verification_devices(user), form.cleaned_data["code"])
        if check.ok:
            services.remove_devices(user)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-step verification is off for your account."))
            return redirect("twofactor:setup")
        if check.wait_seconds:
            messages.error(request, _throttle_message(check.wait_seconds))
            return redirect("twofactor:setup")
    messages.error(request, _("This code is not valid; two-step verification stays on."))
    return redirect("twofactor:setup")
