"""Background tasks of registration (django-tasks, like programmes/tasks.py).

Mailing every registrant of a cancelled meeting may take a while with a slow
mail server, so publishing only queues it; the worker enters the same site
(city) through the plugin's task context.
"""

from django.db import transaction
from django_tasks import task

from programmes.conf import current_task_context, task_context


@task(queue_name="default")
def send_meeting_cancelled_notices(context, meeting_id: int) -> int:
    """Tell the active registrants of a cancelled meeting; returns e-mails sent."""
    from programmes.models import MeetingPage

    from .services import notify_meeting_cancelled

    with task_context(context):
        meeting = MeetingPage.objects.filter(pk=meeting_id).first()
        if meeting is None:
            return 0
        return notify_meeting_cancelled(meeting)


def enqueue_meeting_cancelled_notices(meeting) -> None:
    context = current_task_context()
    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_meeting_cancelled_notices.enqueue(context, meeting_id))
