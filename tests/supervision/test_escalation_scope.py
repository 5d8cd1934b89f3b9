"""Escalations go to the supervisors of the center concerned, not to every supervisor of
every center: a complaint escalated for being unanswered and a red alert (电子监察)."""

import pytest
from django.contrib.auth.models import Group, User

from approvals.models import AlertRecord
from portal.notifications.models import Notification
from portal.organisation import roles
from portal.organisation.models import Department, ServiceCenter, StaffProfile
from portal.organisation.selectors import SupervisorsOf
from portal.sweep import sweep
from tests.approvals.test_inaction import _overdue_fire_application
from tests.complaints.conftest import file_complaint  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_supervisor(world):
    """A supervisor of another center (a town's service center)."""
    town = ServiceCenter.objects.create(code="OTHER-TOWN", name="另一镇便民服务中心")
    office = Department.objects.create(code="OTHER-TOWN-OFFICE", name="镇便民服务中心办公室", center=town)
    user = User.objects.create(username="supervisor_other_town", first_name="另镇监察")
    user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    StaffProfile.objects.create(user=user, badge="T9900", department=office)
    return user


def test_each_center_has_its_supervisors(world, town_supervisor):
    supervisors_of = SupervisorsOf()
    assert supervisors_of(Department.objects.get(code="MARKET").pk) == [world.supervisor]
    assert supervisors_of(Department.objects.get(code="OTHER-TOWN-OFFICE").pk) == [town_supervisor]
    assert set(supervisors_of(None)) == {world.supervisor, world.supervisor_town, town_supervisor}


def test_an_unanswered_complaint_is_escalated_to_the_supervisors_of_its_center(world, travel, file_complaint,  # noqa: F811
                                                                               town_supervisor):
    travel(2026, 11, 2, 10)
    file_complaint(staff_badge="M0201")
    travel(2026, 11, 20, 10)  # accept limit missed, reminded, and five working days later escalated
    sweep()
    escalated = set(Notification.objects.filter(event="complaint_escalated").values_list("user__username", flat=True))
    assert escalated == {"supervisor"}


def test_a_red_alert_goes_to_the_supervisors_of_the_stages_center(world, api, travel, town_supervisor):
    _overdue_fire_application(world, api, travel)
    assert AlertRecord.objects.filter(level="red").exists()
    told = set(Notification.objects.filter(event="alert_red").values_list("user__username", flat=True))
    assert "supervisor" in told and not told & {"supervisor_town", "supervisor_other_town"}
