from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The number of unread messages, counted only by a template that shows it."""

    def unread() -> int:
        if not request.user.is_authenticated:
            return 0
        return request.user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(unread)}
