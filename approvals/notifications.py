"""Side effects of application events, enqueued only after the transaction commits
(pretix's TransactionAwareTask idea: nobody can forget the on_commit)."""

from django.db import transaction


def on_commit_notify(application_id: int, event: str) -> None:
    from approvals.tasks import notify_applicant

    transaction.on_commit(lambda: notify_applicant.delay(application_id, event))
