"""Who is told about complaints and ratings. Messages go to the outbox in the same
transaction and are sent after commit (portal.notifications). The official a
complaint is about is never among the staff told about it."""

from django.contrib.auth.models import User
from django.db.models import Q

from complaints import emails
from complaints.models import Complaint, FollowUp
from portal.notifications.outbox import enqueue
from portal.organisation import roles
from portal.organisation.selectors import SupervisorsOf


def people_with_role(*groups: str) -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name__in=groups).select_related(
        "staff_profile__department").distinct().order_by("pk"))


def office() -> list[User]:
    """The discipline office, which accepts, refuses and assigns."""
    return people_with_role(roles.DISCIPLINE)


def without_accused(complaint: Complaint, people) -> list[User]:
    """``people`` once each, without the official the complaint is about."""
    seen, out = set(), []
    for person in people:
        if person is not None and person.pk != complaint.staff_id and person.pk not in seen:
            seen.add(person.pk)
            out.append(person)
    return out


def notify_complainant(complaint: Complaint, event: str) -> None:
    enqueue([emails.complainant_message(complaint, event)])


def notify_staff(complaint: Complaint, event: str, people) -> None:
    enqueue(emails.staff_complaint_messages(complaint, event, without_accused(complaint, people)))


def supervisors_for(department_id: int | None) -> list[User]:
    """The supervisors of the center the department belongs to (portal.organisation.selectors)."""
    return SupervisorsOf()(department_id)


def unit_people(department_id: int) -> list[User]:
    """The head and the reviewers of a handling unit."""
    return list(
        User.objects.filter(is_active=True, staff_profile__department_id=department_id)
        .filter(Q(groups__name=roles.DEPARTMENT_HEAD) | Q(groups__name=roles.REVIEWER)).distinct().order_by("pk")
    )


def notify_unit(follow_up: FollowUp, event: str, *, with_supervisors: bool = False) -> None:
    people = unit_people(follow_up.department_id)
    if with_supervisors:
        people += [p for p in supervisors_for(follow_up.department_id) if p not in people]
    enqueue(emails.follow_up_messages(follow_up, event, people))


def notify_citizen_of_follow_up(follow_up: FollowUp) -> None:
    enqueue([emails.follow_up_done_message(follow_up)])
