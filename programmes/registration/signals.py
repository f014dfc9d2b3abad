"""Receivers of page publishing.

- Publishing a meeting may free places (capacity raised, reserved places
  released), so the waiting list is re-checked.
- Publishing a meeting whose status is "cancelled" queues the e-mail to its
  active registrants (once per registration, so a re-publish sends nothing).
"""

import logging

from django.dispatch import receiver
from wagtail.signals import page_published

logger = logging.getLogger(__name__)


@receiver(page_published)
def _fill_places_after_publish(sender, instance, **kwargs):
    from programmes.models import MeetingPage

    if not isinstance(instance, MeetingPage) or instance.registration_mode != "form":
        return
    from .services import fill_from_waiting_list

    fill_from_waiting_list(instance)


@receiver(page_published)
def _tell_registrants_of_cancellation(sender, instance, **kwargs):
    from programmes.models import MeetingPage

    # Whatever the registration mode is now: people registered earlier are told.
    if not isinstance(instance, MeetingPage) or instance.status != "cancelled":
        return
    from .services import cancellation_notice_pending, canonical_meeting
    from .tasks import enqueue_meeting_cancelled_notices

    meeting = canonical_meeting(instance)
    if cancellation_notice_pending(meeting):
        enqueue_meeting_cancelled_notices(meeting)
