"""Registrations for meetings, applications to working groups, and per-site settings.

These rows hold personal data. They are plain Django models, never page
fields: the page API, feeds and search cannot expose them by accident. Public
counts (remaining places, waiting list open) come from services.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

ACCESSIBILITY_CHOICES = [
    ("sign_language", _("Sign-language interpreter")),
    ("step_free", _("Step-free access")),
    ("induction_loop", _("Induction loop")),
    ("easy_read", _("Easy-to-read materials")),
    ("assistant", _("Personal assistant or companion")),
]

DEFAULT_RETENTION_DAYS = 90


@register_setting(icon="lock")
class RegistrationSettings(BaseSiteSetting):
    """What residents are told about their data, and how long it is kept (per site/city)."""

    privacy_notice_url = models.URLField(
        _("privacy notice address"),
        blank=True,
        help_text=_("Full privacy notice (GDPR information clause) linked from every form."),
    )
    privacy_notice_text = models.TextField(
        _("short privacy notice"),
        blank=True,
        help_text=_(
            "Shown next to the consent checkbox: who processes the data, why, and for how long."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_(
            "Personal data of registrations and applications is anonymised this many days "
            "after the meeting's last session or the end of recruitment."
        ),
    )
    reply_to_email = models.EmailField(
        _("organiser's reply-to e-mail"),
        blank=True,
        help_text=_("Replies to confirmation e-mails go here."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("privacy_notice_url"), FieldPanel("privacy_notice_text")],
            heading=_("Privacy notice"),
        ),
        FieldPanel("retention_days"),
        FieldPanel("reply_to_email"),
    ]

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")


class Registration(models.Model):
    """One person's place (or waiting-list entry) in one session of a meeting.

    A form submission choosing several sessions creates one row per session,
    sharing a ``booking`` id: one e-mail, one cancellation link for all.
    """

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [
        (CONFIRMED, _("Confirmed")),
        (WAITLISTED, _("On the waiting list")),
        (CANCELLED, _("Cancelled")),
    ]
    ACTIVE = (CONFIRMED, WAITLISTED)

    meeting = models.ForeignKey(
        "programmes.MeetingPage",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    # SET_NULL: an editor who removes a session from the page must still be
    # able to publish; the registrations stay visible under the meeting.
    session = models.ForeignKey(
        "programmes.MeetingPageSession",
        verbose_name=_("session"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    booking = models.UUIDField(_("booking"), default=uuid.uuid4, editable=False, db_index=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    accessibility_needs = models.JSONField(_("accessibility needs"), default=list, blank=True)
    accessibility_notes = models.TextField(_("other accessibility needs"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES)
    attended = models.BooleanField(_("attended"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    privacy_notice_url = models.URLField(_("privacy notice accepted"), blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    # Set when the "meeting cancelled" e-mail went out, so a re-publish of the
    # cancelled meeting does not send it again.
    meeting_cancelled_notice_at = models.DateTimeField(
        _("told that the meeting is cancelled"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status", "created_at"])]
        constraints = [
            # The database, not only the form, refuses a second active
            # registration of the same address for the same session.
            models.UniqueConstraint(
                Lower("email"),
                models.F("session"),
                condition=Q(status__in=["confirmed", "waitlisted"], anonymised_at__isnull=True),
                name="programmes_registration_one_active_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name or _('(removed)')} – {self.session or self.meeting}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def accessibility_labels(self) -> list[str]:
        labels = dict(ACCESSIBILITY_CHOICES)
        return [str(labels.get(code, code)) for code in self.accessibility_needs or []]


class Application(models.Model):
    """An application to join a working group, reviewed by editors."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    STATUS_CHOICES = [
        (PENDING, _("Awaiting decision")),
        (ACCEPTED, _("Accepted")),
        (REJECTED, _("Not accepted")),
        (WITHDRAWN, _("Withdrawn")),
    ]
    ROLE_CHOICES = [
        ("resident", _("Resident")),
        ("official", _("Official")),
        ("ngo", _("NGO")),
    ]

    group = models.ForeignKey(
        "programmes.WorkingGroupPage",
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("applies as"), max_length=10, choices=ROLE_CHOICES)
    organisation = models.CharField(_("organisation or office"), max_length=255, blank=True)
    motivation = models.TextField(_("motivation"))
    experience = models.TextField(_("experience"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True
    )
    editor_note = models.TextField(_("editors' note"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    privacy_notice_url = models.URLField(_("privacy notice accepted"), blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_notice_sent_at = models.DateTimeField(
        _("acceptance e-mail sent"), null=True, blank=True
    )
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("working-group application")
        verbose_name_plural = _("working-group applications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                models.F("group"),
                condition=Q(
                    status__in=["pending", "accepted", "rejected"], anonymised_at__isnull=True
                ),
                name="programmes_registration_one_application_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name or _('(removed)')} – {self.group}"
