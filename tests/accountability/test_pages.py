"""The discipline office's case work in the browser's pages (server-rendered)."""

import pytest

from accountability.models import AccountabilityCase

pytestmark = pytest.mark.django_db


def test_the_discipline_office_works_a_case_through_the_pages(world, client, opened_case):
    case = opened_case()
    client.force_login(world.discipline)
    page = client.get("/accountability/cases/").content.decode()
    assert case.number in page
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert 'id="start-investigation"' in page and 'data-sanction="efficiency_warning"' in page
    client.post(f"/accountability/cases/{case.pk}/act/start_investigation/")
    response = client.post(f"/accountability/cases/{case.pk}/act/decide/",
                           {"sanction": "efficiency_warning", "reasoning": "超时", "publish": "1"}, follow=True)
    assert response.status_code == 200
    case = AccountabilityCase.objects.get(pk=case.pk)
    assert case.status == "notified" and case.sanction == "efficiency_warning" and case.publish


def test_a_refused_action_is_a_message_not_an_error_page(world, client, opened_case):
    case = opened_case()
    client.force_login(world.discipline)
    response = client.post(f"/accountability/cases/{case.pk}/act/decide/",
                           {"sanction": "efficiency_warning", "reasoning": ""}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_subject_appeals_on_the_page(world, client, api, opened_case):
    from tests.accountability.conftest import decided

    case = opened_case()
    decided(api, world, case)
    client.force_login(world.reviewer_market)
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert 'id="appeal-form"' in page and 'id="decide-form"' not in page and 'id="ladder"' not in page
    client.post(f"/accountability/cases/{case.pk}/act/appeal/", {"grounds": "不服"})
    assert AccountabilityCase.objects.get(pk=case.pk).status == "appealed"


def test_a_supervisor_opens_a_case_on_the_page(world, client):
    client.force_login(world.supervisor)
    assert client.get("/accountability/cases/new/").status_code == 200
    response = client.post("/accountability/cases/new/", {
        "subject": "head_housing", "subject_role": "principal", "source": "referral", "source_ref": "JC-1",
        "summary": "主要领导责任"})
    case = AccountabilityCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accountability/cases/{case.pk}/"


def test_staff_who_do_not_work_cases_cannot_open_one(world, client):
    client.force_login(world.reviewer_market)
    assert client.get("/accountability/cases/new/").status_code == 403


def test_the_case_page_links_to_the_application_it_comes_from(world, client, api, travel):
    from portal.sweep import sweep
    from tests.approvals.helpers import accepted

    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    travel(2026, 10, 17, 9)
    sweep()
    case = AccountabilityCase.objects.get(source_ref=app["number"])
    client.force_login(world.supervisor)
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert f'href="/applications/{app["id"]}/" id="source-link"' in page
    client.force_login(world.head_market)
    assert 'id="source-link"' not in client.get(f"/accountability/cases/{case.pk}/").content.decode()


def test_the_person_a_case_is_against_is_not_called_a_topic(world, client, opened_case):
    """'Subject' means 被问责人 on a case and 主题 on an inquiry (translation contexts)."""
    from inquiries.models import Inquiry

    case = opened_case()
    client.force_login(world.discipline)
    page = client.get("/accountability/cases/").content.decode()
    assert "<th>被问责人</th>" in page and "<th>主题</th>" not in page
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert "<dt>被问责人</dt>" in page and "经办人" not in page
    assert str(AccountabilityCase._meta.get_field("subject").verbose_name) == "被问责人"
    assert str(Inquiry._meta.get_field("subject").verbose_name) == "主题"


def test_case_page_names_people_by_name_and_badge_and_history_in_words(world, client, api, opened_case):
    import re

    from tests.accountability.conftest import decided

    case = opened_case()
    decided(api, world, case)
    client.force_login(world.discipline)
    html = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html[html.index("<main"):])
    assert world.reviewer_market.staff_profile.badge in text
    for code in ("reviewer_market", "discipline", "start_investigation", "opened", "investigating", "notified"):
        assert not re.search(rf"(?<![\w-]){code}(?![\w-])", text), code
    new = client.get("/accountability/cases/new/").content.decode()
    assert '<select id="subject" name="subject"' in new and "(username" not in new


def test_the_investigator_picker_is_a_list_of_names(world, client, opened_case):
    case = opened_case()
    client.force_login(world.discipline)
    html = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    picker = html[html.index('<select id="investigator"'):]
    picker = picker[:picker.index("</select>")]
    assert 'value="supervisor"' in picker and world.supervisor.staff_profile.badge in picker
    assert ">supervisor<" not in picker and "(supervisor)" not in picker
