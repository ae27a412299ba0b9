from django.dispatch import receiver

from projects.signals import status_changed


@receiver(status_changed)
def enqueue_notifications(sender, change, **kwargs) -> None:
    from notifications.tasks import status_change_notify_task

    status_change_notify_task.delay(change.pk)
