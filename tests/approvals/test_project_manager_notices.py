"""项目经理制 (seed 001 line 43: "交由项目经理全程跟踪、督办、负责"; issue 13 review): a project
manager is told — in his portal inbox and by e-mail through the notifications outbox — when a
key project is designated for him or handed to him, and the previous manager that it left him;
the manager also hears when the project leaves the green channel."""

import pytest
from django.contrib.auth.models import User

from portal.notifications.models import InboxMessage, Notification
from tests.approvals.test_project_designation import NEW, PROJECT, another_manager

pytestmark = pytest.mark.django_db


def told(username: str, event: str, ref: str = PROJECT) -> tuple[list, list]:
    """(e-mails in the outbox, inbox subjects) of ``username`` about the project."""
    user = User.objects.get(username=username)
    mails = list(Notification.objects.filter(user=user, event=event, ref=ref, channel="email").values_list(
        "email", "subject", "body"))
    inbox = list(InboxMessage.objects.filter(user=user, ref=ref).values_list("subject", flat=True))
    return mails, inbox


def test_both_managers_are_told_when_the_project_changes_hands(world, api):
    other = another_manager()
    other.email = "manager_other@service-center.invalid"
    other.save()
    body = {"manager": "manager_other", "reason": "原项目经理调岗"}
    with_nothing = api(world.supervisor).post(f"/api/projects/{PROJECT}/manager/", {**body, "reason": ""},
                                              format="json")
    assert with_nothing.status_code == 400 and told("manager_other", "project_manager_assign") == ([], [])
    assert api(world.supervisor).post(f"/api/projects/{PROJECT}/manager/", body, format="json").status_code == 200
    [(email, subject, text)], inbox = told("manager_other", "project_manager_assign")
    assert email == "manager_other@service-center.invalid" and inbox == [subject]
    assert subject == f"重点项目 {PROJECT} 已移交给您"  # in the portal's language (zh-hans)
    assert "原项目经理调岗" in text and "钱项目" in text and f"/projects/{PROJECT}/" in text
    [(email, subject, text)], inbox = told("manager_project", "project_manager_release")
    assert email == User.objects.get(username="manager_project").email and inbox == [subject]
    assert "孙项目" in subject and "原项目经理调岗" in text
    # Refused (the same manager again): nobody is told anything more.
    api(world.supervisor).post(f"/api/projects/{PROJECT}/manager/", body, format="json")
    assert len(told("manager_other", "project_manager_assign")[0]) == 1


def test_the_manager_is_told_when_a_project_is_designated_for_him(world, api):
    assert api(world.supervisor).post("/api/projects/", NEW, format="json").status_code == 201
    [(_email, subject, text)], inbox = told("manager_project", "project_manager_assign", ref=NEW["code"])
    assert NEW["code"] in subject and inbox == [subject] and "示例物流园项目" in text


def test_the_manager_is_told_when_the_project_leaves_the_green_channel(world, api):
    api(world.supervisor).post(f"/api/projects/{PROJECT}/close/", {"reason": "项目已竣工投产"}, format="json")
    [(_email, subject, text)], inbox = told("manager_project", "project_close")
    assert inbox == [subject] and "项目已竣工投产" in text


def test_a_hand_over_on_the_project_page_tells_them_too(world, client):
    another_manager()
    client.force_login(world.supervisor)
    client.post(f"/projects/{PROJECT}/manager/", {"manager": "manager_other", "reason": "调岗"})
    assert len(told("manager_other", "project_manager_assign")[1]) == 1
    assert len(told("manager_project", "project_manager_release")[1]) == 1
