"""Devices, codes and QR images of two-step verification.

The views, the middleware and the management command call these; nothing
here knows about HTTP beyond reading the current city for the issuer name.
One TOTP device per user (django-otp's ``TOTPDevice``): unconfirmed while the
editor enrols, confirmed once a code from the app was accepted. Beside it, a
set of single-use recovery codes (django-otp's ``StaticDevice``), issued when
the app is confirmed and on request, for the day the phone is lost.
"""

from __future__ import annotations

import math
import re
import secrets
from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
#: How many recovery codes a set has.
RECOVERY_CODE_COUNT = 10
#: A recovery code: 8 characters of lowercase base32 (a 6-digit TOTP code never looks like one).
RECOVERY_CODE_RE = re.compile(r"[a-z2-7]{8}")
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def require_2fa() -> bool:
    """Whether editors without a device are sent to enrol (``DIALOG_REQUIRE_2FA``)."""
    return bool(getattr(settings, "DIALOG_REQUIRE_2FA", False))


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def recovery_devices(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def verification_devices(user) -> list:
    """What may prove the second step: the confirmed app and, with it, the recovery codes."""
    devices = list(confirmed_devices(user))
    if devices:
        devices += list(recovery_devices(user))
    return devices


def new_recovery_codes(user) -> list[str]:
    """Issue a new set of recovery codes; every earlier code stops working.

    Returned once, to be shown once: django-otp keeps them to compare, and
    nothing shows them again. The device itself stays: a session verified
    with one of its codes (django-otp remembers the device) stays verified.
    """
    codes = ["".join(secrets.choice(_BASE32) for _ in range(8)) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(
                user=user, name=RECOVERY_DEVICE_NAME, confirmed=True
            )
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_recovery_device(device) -> bool:
    return isinstance(device, StaticDevice)


def has_device(user) -> bool:
    return confirmed_devices(user).exists()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm(device: TOTPDevice) -> None:
    """Make ``device`` the user's only device (a re-enrolment replaces the old one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])


def remove_devices(user) -> int:
    """Remove the app and the recovery codes; the number of devices removed."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            _total, by_model = model.objects.filter(user=user).delete()
            removed += by_model.get(model._meta.label, 0)
    return removed


def normalise_code(value: str) -> str:
    """Codes are typed as ``123 456`` or ``123-456`` as often as ``123456``.

    Recovery codes are compared in lower case (they are printed that way, and
    typed in capitals just as often).
    """
    return re.sub(r"[\s-]", "", value or "").lower()


@dataclass
class CodeCheck:
    device: TOTPDevice | None = None
    #: > 0 when every device is throttled after wrong codes: the code was not checked.
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def check_code(devices, code: str) -> CodeCheck:
    """Verify ``code`` against ``devices`` (rows locked, so throttling counts every try).

    django-otp's throttling doubles the wait after each wrong code of a
    device (1 s, 2 s, 4 s, ...) until a right one; a throttled device does
    not even look at the code, so guessing during the wait gains nothing.
    A code shaped like a recovery code is only tried against the recovery
    codes, any other only against the app, so one kind of try never makes
    the other kind wait. A recovery code is used up by its first success.
    """
    code = normalise_code(code)
    recovery = bool(RECOVERY_CODE_RE.fullmatch(code))
    wait = 0.0
    for device in devices:
        if is_recovery_device(device) != recovery:
            continue
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, info = locked.verify_is_allowed()
            if not allowed:
                until = (info or {}).get("locked_until")
                if until is not None:
                    wait = max(wait, (until - timezone.now()).total_seconds())
                continue
            if locked.verify_token(code):
                return CodeCheck(device=locked)
    return CodeCheck(wait_seconds=math.ceil(wait) if wait > 0 else 0)


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32 in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def issuer_name(city=None) -> str:
    """What the authenticator app shows above the code: the platform and the city."""
    name = getattr(city, "name", "") if city is not None else ""
    issuer = f"{settings.WAGTAIL_SITE_NAME} {name}".strip()
    # A colon separates issuer and account in the key URI.
    return issuer.replace(":", " ")


def provisioning_uri(device: TOTPDevice, issuer: str) -> str:
    """``otpauth://`` URI of the device (Google Authenticator's key URI format)."""
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def qr_svg(data: str) -> str:
    """An inline ``<svg>`` QR code of ``data``, drawn here: no image service sees the secret.

    White background included (the admin's dark theme would otherwise make
    the code unreadable for a phone camera). The markup holds only paths, no
    text from the user, so it can be marked safe.
    """
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    # Fixed pixel size instead of millimetres; aria-hidden: the secret is printed next to it.
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="240" height="240" aria-hidden="true" focusable="false"',
        svg,
        count=1,
    )
