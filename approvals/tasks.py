"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from portal.sweep import sweep


@shared_task(ignore_result=True)
def enforce_deadlines() -> dict:
    """The one beat entry (SPEC §5): an idempotent sweep of everything due."""
    return sweep().as_dict()
