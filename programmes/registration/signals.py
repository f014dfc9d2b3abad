"""Receivers: publishing a meeting may free places (capacity raised, reserved
places released), so the waiting list is re-checked."""

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
