from huey.contrib.djhuey import db_task
from huey.exceptions import RetryTask

from . import services


@db_task()
def send_notification_email(notification_id):
    """Email one notification; failures come back later, further apart each time."""
    delivery = services.deliver_email(notification_id=notification_id)
    if delivery.retry_in is not None:
        raise RetryTask(delay=delivery.retry_in)
