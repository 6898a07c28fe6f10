from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def send_unread_message_emails() -> int:
    """Every minute: one email per conversation whose message waits unread for 10 minutes."""
    return services.send_unread_emails()
