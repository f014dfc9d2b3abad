"""Optional TOTP two-step verification for a city's editors (django-otp).

Editors enrol an authenticator app from the Wagtail admin (account page,
"More actions"); once they have a confirmed device, every admin URL asks for
the 6-digit code after the password. ``DIALOG_REQUIRE_2FA`` sends editors
without a device to enrolment first. Devices live in the city's schema, next
to its users. See docs/operations.md "Two-step verification".
"""
