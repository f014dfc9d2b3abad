"""The issue's "done when": register for a demo meeting on its public page, get the
e-mail, see the registration in the admin, cancel through the link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from programmes.models import MeetingPage
from programmes.registration.models import Registration

from .conftest import HOST

pytestmark = pytest.mark.django_db


def test_register_for_the_demo_meeting_and_cancel_by_link(site_home, client, editor):
    from programmes.demo.loader import load_demo

    load_demo("warszawa")
    meeting = MeetingPage.objects.filter(registration_mode="form").live().first()
    html = client.get(meeting.url, HTTP_HOST=HOST).content.decode()
    sessions = re.findall(r'name="sessions" value="(\d+)"', html)
    assert sessions, "the demo meeting offers its sessions on its page"
    mail.outbox.clear()

    response = client.post(
        reverse("programmes_registration:register", args=[meeting.pk]),
        {"name": "Ala Demo", "email": "ala@example.org", "sessions": sessions[:1], "consent": "on"},
        HTTP_HOST=HOST,
    )

    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.attachments and meeting.title in message.subject
    link = re.search(rf"http://{re.escape(HOST)}(/udzial/cancel/\S+/)", message.body).group(1)

    client.force_login(editor)
    admin = client.get(
        reverse("programmes_registration_admin:meeting", args=[meeting.pk]), HTTP_HOST=HOST
    )
    assert "ala@example.org" in admin.content.decode()
    client.logout()

    assert client.get(link, HTTP_HOST=HOST).status_code == 200
    assert client.post(link, HTTP_HOST=HOST).status_code == 200
    assert not Registration.objects.filter(email="ala@example.org").exists()
    assert mail.outbox[-1].to == ["ala@example.org"]
