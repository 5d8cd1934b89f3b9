"""上报事项负责代理制 under 电子监察 (seed 001 line 103; issue 13 item 2, gap B): when the
higher center's own clock on a referred-up application passes without a result, the
township's official in charge (负责代理人) and the supervisors — the township's and the
county's — get a red alert like any other overdue work, once; a result in time raises none."""

import pytest
from django.contrib.auth.models import User

from approvals.models import AlertRecord
from centers.models import Referral
from portal.notifications.models import Notification
from portal.sweep import sweep
from tests.approvals.helpers import stage_of
from tests.approvals.test_referred_up import walk_in

pytestmark = pytest.mark.django_db


def _extend(api, world, app):
    """The competent center extends its own limit (art. 42): the referral's clock stays, so the
    result is now due at the township after the referral's clock has passed."""
    response = api(world.head_market).post(f"/api/applications/{app['id']}/extend/",
                                           {"working_days": 5, "reason": "需补充现场核查"}, format="json")
    assert response.status_code == 200, response.json()


def _told(number) -> set[str]:
    return set(Notification.objects.filter(event="alert_red", ref=number).values_list("user__username", flat=True))


def test_a_late_referral_alerts_the_official_in_charge_and_the_supervisors_once(world, api, client, travel):
    travel(2026, 9, 28, 10)
    town_clerk = User.objects.get(username="window_town")
    app = walk_in(api, town_clerk)  # its referral's clock ends with 2026-10-16
    travel(2026, 10, 14, 10)
    _extend(api, world, app)
    travel(2026, 10, 16, 23)
    sweep()
    assert not AlertRecord.objects.filter(referral__application_id=app["id"]).exists()
    travel(2026, 10, 19, 9)
    sweep()
    alert = AlertRecord.objects.get(referral__application_id=app["id"])
    assert (alert.level, alert.assignee.username, alert.department.code) == ("red", "window_town", "TOWN")
    assert _told(app["number"]) >= {"window_town", "supervisor_town", "supervisor"}
    told = Notification.objects.filter(event="alert_red", ref=app["number"]).count()
    travel(2026, 10, 20, 9)
    sweep()
    assert AlertRecord.objects.filter(referral__application_id=app["id"]).count() == 1
    assert Notification.objects.filter(event="alert_red", ref=app["number"]).count() == told
    body = api(town_clerk).get(f"/api/applications/{app['id']}/").json()
    assert body["referral"]["late_alerted_at"] == "2026-10-19T09:00:00+08:00"
    listed = api(town_clerk).get("/api/alerts/").json()["results"]
    assert [a["application"] for a in listed] == [app["number"]]
    assert app["number"] in {a["application"] for a in api(User.objects.get(username="supervisor_town"))
                             .get("/api/alerts/").json()["results"]}
    client.force_login(town_clerk)
    assert 'id="referral-late"' in client.get(f"/applications/{app['id']}/").content.decode()


def test_a_result_in_time_raises_no_referral_alert(world, api, travel):
    travel(2026, 9, 28, 10)
    app = walk_in(api, User.objects.get(username="window_town"))
    travel(2026, 10, 9, 10)
    assert api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/approve/",
                                           {"opinion": "同意"}, format="json").status_code == 200
    travel(2026, 10, 19, 9)
    sweep()
    assert not AlertRecord.objects.filter(referral__isnull=False).exists()
    assert Referral.objects.get(application_id=app["id"]).late_alerted_at is None


def test_a_referral_alert_does_not_displace_the_walk_ins_on_the_spot_alert(world, api, travel):
    """Both red alerts of one application are on record: missed on the spot, then late above."""
    travel(2026, 9, 28, 10)
    town_clerk = User.objects.get(username="window_town")
    app = walk_in(api, town_clerk, accept=False)
    travel(2026, 9, 29, 10)
    sweep()  # complete walk-in not answered the same day (当场受理)
    assert api(town_clerk).post(f"/api/applications/{app['id']}/accept/").status_code == 200
    travel(2026, 10, 14, 10)
    _extend(api, world, app)
    travel(2026, 10, 21, 9)
    sweep()
    kinds = set(AlertRecord.objects.filter(application_id=app["id"], level="red", stage__isnull=True)
                .values_list("referral_id", flat=True))
    assert len(kinds) == 2 and None in kinds


def test_the_competent_centers_overdue_alert_reaches_the_township_official_and_supervisors(world, api, travel):
    """An item without deemed approval lapses into a red alert at the competent center; the
    township's official in charge and its supervisor hear of it as well as of the referral."""
    from centers.models import ItemPublication
    from portal.catalogue.models import ServiceItem
    from portal.organisation.models import ServiceCenter

    ItemPublication.objects.create(center=ServiceCenter.objects.get(code="TOWN"),
                                   item=ServiceItem.objects.get(code="FIRE-002"),
                                   referred_to=ServiceCenter.objects.get(code="CITY"))
    travel(2026, 9, 28, 10)
    town_clerk = User.objects.get(username="window_town")
    app = walk_in(api, town_clerk, "FIRE-002")
    travel(2026, 10, 19, 9)
    sweep()
    assert AlertRecord.objects.filter(application_id=app["id"], level="red", stage__isnull=False).exists()
    for username in ("window_town", "supervisor_town"):
        told = Notification.objects.filter(event="alert_red", ref=app["number"], user__username=username)
        assert told.values("subject").distinct().count() == 2, username  # the stage's and the referral's
