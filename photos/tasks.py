"""Background jobs of photos: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import conf, services


@db_task()
def build_photo_variants(photo_id: int) -> bool:
    """Build one photo's resized copies (enqueued after the upload commits)."""
    return services.build_variants(photo_id=photo_id)


@db_periodic_task(crontab(minute=f"*/{conf.SWEEP_EVERY_MINUTES}"))
def sweep_owed_photo_variants() -> int:
    """Every 5 minutes: build the copies still owed whose job was lost or failed."""
    return services.sweep_owed_variants()
