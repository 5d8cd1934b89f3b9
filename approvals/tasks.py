"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

@shared_task(ignore_result=True)
def enforce_deadlines() -> dict:
    """The one beat entry (SPEC §5): an idempotent sweep of everything due."""
    from approvals.deadlines import sweep

    return sweep().as_dict()
