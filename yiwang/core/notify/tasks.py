"""Background delivery through the Django tasks API, for ``settings.NOTIFY["DELIVERY"] = "task"``.

With the default ``"inline"``, delivery runs in the committing process right after commit (simple, no
worker needed, but a slow SMS gateway delays that request). With ``"task"``, the commit only enqueues
this task and ``yiwang worker`` delivers. Either way a failed attempt is retried by ``notify.retry_due``.
"""

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> bool:
    from .services import deliver

    return deliver(notification_id)
