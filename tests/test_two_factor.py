"""Two-step verification (twofactor/, django-otp TOTP) on a city's admin.

Real PostgreSQL, the test client on warszawa.localhost; codes are computed
from the device's key with django-otp's own TOTP implementation, as the
editor's phone would.
"""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_otp.oath import TOTP
from django_tenants.utils import schema_context

from tenants.provisioning import create_city_editor
from twofactor.services import new_recovery_codes, recovery_codes_left

WARSZAWA, WROCLAW = "warszawa.localhost", "wroclaw.localhost"
PASSWORD = "Bardzo-Dlugie-Haslo-7"
EMAIL = "redaktorka@um.warszawa.pl"
VERIFY, SETUP, REMOVE = "/admin/2fa/verify/", "/admin/2fa/", "/admin/2fa/remove/"
_EXECUTABLE = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")


def _code(device, steps_ahead=0):
    """The code the phone shows now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _wrong_code(device):
    valid = {_code(device, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def _login(client, host=WARSZAWA, username=EMAIL, password=PASSWORD):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, HTTP_HOST=host
    )


def _device(user, confirmed=True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)


def _listed_codes(soup):
    listing = soup.find("ul", class_="twofactor-recovery-codes")
    return [item.text.strip() for item in listing.find_all("code")] if listing else []


def _recovery_device(user):
    from django_otp.plugins.otp_static.models import StaticDevice

    return StaticDevice.objects.get(user=user)


def _reload(device):
    device.refresh_from_db()
    return device


@pytest.fixture
def editor(city):
    user, _password = create_city_editor("warszawa", EMAIL, PASSWORD)
    connection.set_tenant(city)
    return user


@pytest.fixture
def enrolled(editor):
    return _device(editor)


@pytest.mark.django_db
def test_editor_without_device_signs_in_with_the_password_alone(editor, client):
    response = _login(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200
    assert client.get("/admin/pages/", HTTP_HOST=WARSZAWA).status_code == 200


@pytest.mark.django_db
def test_editor_with_device_needs_a_valid_code_before_the_dashboard(enrolled, client):
    assert _login(client).status_code == 302
    assert client.session["_auth_user_id"]  # the password step is done...

    # ...but every admin URL leads to the code form, remembering where to go.
    for path in ("/admin/", "/admin/pages/", "/admin/account/", SETUP):
        response = client.get(path, HTTP_HOST=WARSZAWA)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{VERIFY}?next="), path
    form = client.get(f"{VERIFY}?next=/admin/pages/", HTTP_HOST=WARSZAWA)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Wpisz kod z aplikacji" in html  # Polish first
    assert 'autocomplete="one-time-code"' in html
    assert not _EXECUTABLE.search(html)

    # A wrong code is refused and the admin stays closed.
    wrong = client.post(
        VERIFY, {"code": _wrong_code(enrolled), "next": "/admin/pages/"}, HTTP_HOST=WARSZAWA
    )
    assert wrong.status_code == 200
    assert "nieprawidłowy" in wrong.content.decode()
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 302
    assert _reload(enrolled).throttling_failure_count == 1

    # Right after a wrong code the device makes the next try wait (1 s, 2 s, ...),
    # so even the right code is not looked at yet.
    throttled = client.post(VERIFY, {"code": _code(enrolled)}, HTTP_HOST=WARSZAWA)
    assert throttled.status_code == 200
    assert "Spróbuj ponownie za" in throttled.content.decode()
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 302

    _reload(enrolled).throttle_reset()
    session_key = client.session.session_key
    ok = client.post(VERIFY, {"code": _code(enrolled), "next": "/admin/pages/"}, HTTP_HOST=WARSZAWA)
    assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
    assert client.session.session_key != session_key  # a new key for the full sign-in
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200
    assert client.get("/admin/pages/", HTTP_HOST=WARSZAWA).status_code == 200
    # The same code cannot be replayed in another session.
    other = client.__class__()
    _login(other)
    replay = other.post(VERIFY, {"code": _code(enrolled)}, HTTP_HOST=WARSZAWA)
    assert replay.status_code == 200
    assert other.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 302


@pytest.mark.django_db
def test_code_form_refuses_a_redirect_to_another_site(enrolled, client):
    _login(client)
    ok = client.post(
        VERIFY, {"code": _code(enrolled), "next": "https://evil.example/"}, HTTP_HOST=WARSZAWA
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_count_toward_the_login_lockout(city, enrolled, client):
    from axes.models import AccessAttempt

    _login(client)
    for _attempt in range(2):
        response = client.post(VERIFY, {"code": _wrong_code(enrolled)}, HTTP_HOST=WARSZAWA)
        assert response.status_code == 200
    locked = client.post(VERIFY, {"code": _wrong_code(enrolled)}, HTTP_HOST=WARSZAWA)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # signed out
    connection.set_tenant(city)
    assert AccessAttempt.objects.get(username=EMAIL).failures_since_start >= 3
    # The password step is locked too (same user name and address).
    assert _login(client).status_code == 429


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_confirms_the_device(city, editor, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _login(client)
    account = client.get("/admin/account/", HTTP_HOST=WARSZAWA)
    assert SETUP in account.content.decode()
    assert "Weryfikacja dwuetapowa" in account.content.decode()

    page = client.get(SETUP, HTTP_HOST=WARSZAWA)
    assert page.status_code == 200
    html = page.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("svg", attrs={"width": "240"}) is not None  # inline QR code
    assert not _EXECUTABLE.search(html)
    for url in re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(https?:)?//", url), f"loads {url}"
    connection.set_tenant(city)
    pending = TOTPDevice.objects.get(user=editor)
    assert not pending.confirmed
    assert "".join(soup.find("code").text.split()) in html.replace(" ", "")
    # Reloading keeps the same secret (the phone may have scanned it already).
    client.get(SETUP, HTTP_HOST=WARSZAWA)
    assert TOTPDevice.objects.get(user=editor).key == pending.key

    wrong = client.post(SETUP, {"code": _wrong_code(pending)}, HTTP_HOST=WARSZAWA)
    assert wrong.status_code == 200 and "nieprawidłowy" in wrong.content.decode()
    assert not _reload(pending).confirmed
    _reload(pending).throttle_reset()

    ok = client.post(SETUP, {"code": _code(pending)}, HTTP_HOST=WARSZAWA)
    assert ok.status_code == 302 and ok["Location"] == SETUP
    assert _reload(pending).confirmed
    # This session passed the code; the dashboard is open.
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200
    assert "od " in client.get(SETUP, HTTP_HOST=WARSZAWA).content.decode()

    # A new sign-in now asks for the code.
    fresh = client.__class__()
    _login(fresh)
    assert fresh.get("/admin/", HTTP_HOST=WARSZAWA)["Location"].startswith(VERIFY)

    # Switching it off needs a current code (the one used above cannot be reused).
    refused = client.post(REMOVE, {"code": _wrong_code(pending)}, HTTP_HOST=WARSZAWA)
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    _reload(pending).throttle_reset()
    removed = client.post(REMOVE, {"code": _code(pending, steps_ahead=1)}, HTTP_HOST=WARSZAWA)
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    again = client.__class__()
    _login(again)
    assert again.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200


@pytest.mark.django_db
def test_required_setting_sends_editors_to_enrol_first(city, editor, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with override_settings(DIALOG_REQUIRE_2FA=True):
        _login(client)
        response = client.get("/admin/pages/", HTTP_HOST=WARSZAWA)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next=%2Fadmin%2Fpages%2F"
        assert client.get(VERIFY, HTTP_HOST=WARSZAWA)["Location"].startswith(SETUP)
        page = client.get(response["Location"], HTTP_HOST=WARSZAWA)
        assert page.status_code == 200
        assert "wymaga weryfikacji dwuetapowej" in page.content.decode()

        connection.set_tenant(city)
        pending = TOTPDevice.objects.get(user=editor)
        ok = client.post(
            SETUP, {"code": _code(pending), "next": "/admin/pages/"}, HTTP_HOST=WARSZAWA
        )
        # First the recovery codes, once, with the way on to where the editor was going.
        assert ok.status_code == 302 and ok["Location"] == f"{SETUP}?next=%2Fadmin%2Fpages%2F"
        codes_page = BeautifulSoup(
            client.get(ok["Location"], HTTP_HOST=WARSZAWA).content, "html.parser"
        )
        assert len(_listed_codes(codes_page)) == 10
        assert codes_page.find("a", string=re.compile("dalej"))["href"] == "/admin/pages/"
        assert client.get("/admin/pages/", HTTP_HOST=WARSZAWA).status_code == 200

    # Without the setting, an editor without a device is not sent anywhere.
    TOTPDevice.objects.filter(user=editor).delete()
    plain = client.__class__()
    _login(plain)
    assert plain.get("/admin/pages/", HTTP_HOST=WARSZAWA).status_code == 200


@pytest.mark.django_db
def test_device_of_one_city_means_nothing_in_another(enrolled, client, wroclaw):
    create_city_editor("wroclaw", EMAIL, PASSWORD)
    _login(client, host=WROCLAW)
    # Same e-mail, other city: its own user, no device, no code step.
    assert client.get("/admin/", HTTP_HOST=WROCLAW).status_code == 200
    with schema_context(wroclaw.schema_name):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        assert not TOTPDevice.objects.exists()


@pytest.mark.django_db
def test_operator_can_reset_a_lost_device(enrolled, city):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    new_recovery_codes(enrolled.user)
    call_command("tenant_command", "reset_two_factor", EMAIL, schema_name=city.schema_name)
    connection.set_tenant(city)
    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert not StaticDevice.objects.filter(user=enrolled.user).exists()


@pytest.mark.django_db
def test_enrolment_shows_ten_recovery_codes_once(city, editor, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _login(client)
    client.get(SETUP, HTTP_HOST=WARSZAWA)
    connection.set_tenant(city)
    pending = TOTPDevice.objects.get(user=editor)
    assert client.post(SETUP, {"code": _code(pending)}, HTTP_HOST=WARSZAWA).status_code == 302

    soup = BeautifulSoup(client.get(SETUP, HTTP_HOST=WARSZAWA).content, "html.parser")
    codes = _listed_codes(soup)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert "Zapisz te kody teraz" in soup.text
    assert soup.find("a", string=re.compile("dalej")) is None  # no `next`: nowhere to go on
    # Shown once: a reload only tells how many are left.
    again = client.get(SETUP, HTTP_HOST=WARSZAWA).content.decode()
    assert not _listed_codes(BeautifulSoup(again, "html.parser"))
    assert not any(code in again for code in codes)
    assert "Masz 10 niewykorzystanych kodów odzyskiwania" in again
    assert recovery_codes_left(editor) == 10


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_instead_of_the_app(city, enrolled, client):
    codes = new_recovery_codes(enrolled.user)
    _login(client)
    # Typed in capitals with a space, as from a printout.
    typed = f"{codes[3][:4].upper()} {codes[3][4:].upper()}"
    ok = client.post(VERIFY, {"code": typed, "next": "/admin/pages/"}, HTTP_HOST=WARSZAWA)
    assert ok.status_code == 302 and ok["Location"] == "/admin/pages/"
    page = client.get("/admin/pages/", HTTP_HOST=WARSZAWA)
    assert page.status_code == 200
    assert "Zalogowano kodem odzyskiwania" in page.content.decode()
    assert "Pozostało 9 kodów" in page.content.decode()
    connection.set_tenant(city)
    assert recovery_codes_left(enrolled.user) == 9
    # The app's throttle did not see the recovery code.
    assert _reload(enrolled).throttling_failure_count == 0

    # Used up: the same code does not open another session.
    other = client.__class__()
    _login(other)
    refused = other.post(VERIFY, {"code": codes[3]}, HTTP_HOST=WARSZAWA)
    assert refused.status_code == 200 and "nieprawidłowy" in refused.content.decode()
    assert other.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 302
    # Wrong recovery codes make the next try wait, as wrong app codes do.
    throttled = other.post(VERIFY, {"code": codes[0]}, HTTP_HOST=WARSZAWA)
    assert "Spróbuj ponownie za" in throttled.content.decode()
    _recovery_device(enrolled.user).throttle_reset()
    # Another unused one still works.
    assert other.post(VERIFY, {"code": codes[0]}, HTTP_HOST=WARSZAWA).status_code == 302
    assert other.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_set(city, enrolled, client):
    old = new_recovery_codes(enrolled.user)
    _login(client)
    client.post(VERIFY, {"code": _code(enrolled)}, HTTP_HOST=WARSZAWA)
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200

    issued = client.post("/admin/2fa/recovery-codes/", HTTP_HOST=WARSZAWA)
    assert issued.status_code == 302 and issued["Location"] == SETUP
    new = _listed_codes(BeautifulSoup(client.get(SETUP, HTTP_HOST=WARSZAWA).content, "html.parser"))
    assert len(new) == 10 and not set(new) & set(old)
    # A GET does not issue codes; the old set is gone.
    assert client.get("/admin/2fa/recovery-codes/", HTTP_HOST=WARSZAWA).status_code == 405
    other = client.__class__()
    _login(other)
    assert other.post(VERIFY, {"code": old[0]}, HTTP_HOST=WARSZAWA).status_code == 200
    _recovery_device(enrolled.user).throttle_reset()
    assert other.post(VERIFY, {"code": new[0]}, HTTP_HOST=WARSZAWA).status_code == 302


@pytest.mark.django_db
def test_a_half_signed_in_editor_cannot_issue_recovery_codes(city, enrolled, client):
    codes = new_recovery_codes(enrolled.user)
    _login(client)  # password only, no code yet
    response = client.post("/admin/2fa/recovery-codes/", HTTP_HOST=WARSZAWA)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    connection.set_tenant(city)
    assert recovery_codes_left(enrolled.user) == 10
    assert client.post(VERIFY, {"code": codes[0]}, HTTP_HOST=WARSZAWA).status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_switches_verification_off(city, enrolled, client):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    codes = new_recovery_codes(enrolled.user)
    _login(client)
    client.post(VERIFY, {"code": codes[0]}, HTTP_HOST=WARSZAWA)
    removed = client.post(REMOVE, {"code": codes[1]}, HTTP_HOST=WARSZAWA)
    assert removed.status_code == 302
    connection.set_tenant(city)
    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert not StaticDevice.objects.filter(user=enrolled.user).exists()
    fresh = client.__class__()
    _login(fresh)
    assert fresh.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200


@pytest.mark.django_db
def test_recovery_codes_page_never_leads_to_another_site(city, enrolled, client):
    new_recovery_codes(enrolled.user)
    _login(client)
    client.post(VERIFY, {"code": _code(enrolled)}, HTTP_HOST=WARSZAWA)
    client.post("/admin/2fa/recovery-codes/", HTTP_HOST=WARSZAWA)
    page = client.get(f"{SETUP}?next=https://evil.example/", HTTP_HOST=WARSZAWA)
    link = BeautifulSoup(page.content, "html.parser").find("a", string=re.compile("dalej"))
    assert link["href"] == "/admin/"


@pytest.mark.django_db
def test_the_last_recovery_codes_are_flagged(city, enrolled, client):
    from django_otp.plugins.otp_static.models import StaticToken

    new_recovery_codes(enrolled.user)
    _login(client)
    client.post(VERIFY, {"code": _code(enrolled)}, HTTP_HOST=WARSZAWA)

    def count_paragraph():
        soup = BeautifulSoup(client.get(SETUP, HTTP_HOST=WARSZAWA).content, "html.parser")
        return soup.find("p", string=re.compile("niewykorzystan"))

    assert "help-warning" not in (count_paragraph().get("class") or [])
    connection.set_tenant(city)
    tokens = StaticToken.objects.filter(device__user=enrolled.user)
    keep = list(tokens.order_by("pk").values_list("pk", flat=True)[:2])
    tokens.exclude(pk__in=keep).delete()
    paragraph = count_paragraph()
    assert "Masz 2 niewykorzystane kody odzyskiwania" in paragraph.text
    assert "help-warning" in paragraph["class"]


@pytest.mark.django_db
def test_new_codes_after_signing_in_with_a_recovery_code_keep_the_session(city, enrolled, client):
    # The phone is lost: a recovery code, then a new set straight away.
    codes = new_recovery_codes(enrolled.user)
    _login(client)
    assert client.post(VERIFY, {"code": codes[0]}, HTTP_HOST=WARSZAWA).status_code == 302
    issued = client.post("/admin/2fa/recovery-codes/", HTTP_HOST=WARSZAWA)
    assert issued["Location"] == SETUP
    page = client.get(SETUP, HTTP_HOST=WARSZAWA)
    assert page.status_code == 200  # still signed in with the second step, not sent to verify
    new = _listed_codes(BeautifulSoup(page.content, "html.parser"))
    assert len(new) == 10 and not set(new) & set(codes)
    assert client.get("/admin/pages/", HTTP_HOST=WARSZAWA).status_code == 200
