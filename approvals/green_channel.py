"""绿色通道 (seed 001 line 43): the committed limit an application runs on. An application of a
key project (重点项目) on the green channel runs each stage on the project's shorter committed
limit per stage, fixed at acceptance; every other application on its item's committed limit."""

from approvals.models import Application


def green_channel_days(application: Application) -> int | None:
    """The project's limit per stage when it is shorter than the item's (None: no green channel).
    Read at acceptance; later changes to the project do not move a running clock."""
    project = application.key_project
    if project is None or not project.active:
        return None
    return min(project.stage_days, application.service.committed_days)


def committed_limit(application: Application) -> int:
    """承诺时限 the application runs on: the green-channel limit fixed at acceptance, else the item's."""
    return application.green_channel_days or application.service.committed_days
