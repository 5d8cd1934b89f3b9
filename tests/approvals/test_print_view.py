"""Print views (issue 12): the application page offers to print itself; the print style sheet
leaves out the menus, forms and buttons (static/css/portal.css, @media print)."""

import pytest

from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def test_application_page_has_a_print_button_shown_by_the_script(world, api, client):
    app = api(world.citizen).post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                                  format="json").json()
    client.force_login(world.citizen)
    body = client.get(f"/applications/{app['id']}/").content.decode()
    assert '<p class="print-action" hidden><button type="button" class="btn secondary" id="print" data-print>' in body
