"""Issue 12: the review queue updates in place (django-htmx): a filter or a page asked by htmx
returns the table alone, and a reviewer claims a stage from its row, which comes back claimed
(or says why not) without leaving the queue. Without JavaScript the same forms work as pages."""

import pytest

from approvals.models import Stage
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_filter_asked_by_htmx_gets_the_table_alone(world, api, client):
    accepted(world, api)
    client.force_login(world.reviewer_market)
    whole = client.get("/review/queue/").content.decode()
    part = client.get("/review/queue/?status=pending", **HTMX).content.decode()
    assert "<html" in whole and 'id="queue-results"' in whole
    assert "<html" not in part and part.lstrip().startswith("<div id=\"queue-results\"")
    assert 'data-stage="' in part


def test_a_reviewer_claims_from_the_queue_row_in_place(world, api, client):
    stage_id = stage_of(accepted(world, api), "MARKET")
    client.force_login(world.reviewer_market)
    queue = client.get("/review/queue/").content.decode()
    assert f'data-claim="{stage_id}"' in queue
    response = client.post(f"/stages/{stage_id}/act/claim/", **HTMX)
    row = response.content.decode()
    assert response.status_code == 200 and row.startswith("<tr") and f'data-stage="{stage_id}"' in row
    assert "data-claim" not in row and Stage.objects.get(pk=stage_id).assignee == world.reviewer_market

    # Someone else's try on the claimed stage: the row says why, the claim stands.
    client.force_login(world.head_market)
    row = client.post(f"/stages/{stage_id}/act/claim/", **HTMX).content.decode()
    assert 'class="row-error"' in row and Stage.objects.get(pk=stage_id).assignee == world.reviewer_market


def test_without_htmx_the_claim_is_a_plain_form_that_leads_to_the_stage(world, api, client):
    stage_id = stage_of(accepted(world, api), "MARKET")
    client.force_login(world.reviewer_market)
    response = client.post(f"/stages/{stage_id}/act/claim/")
    assert response.status_code == 302 and response["Location"].endswith(f"/stages/{stage_id}/")


def test_staff_of_another_department_get_no_claim_button(world, api, client):
    stage_id = stage_of(accepted(world, api), "MARKET")
    client.force_login(world.supervisor)  # sees every queue, claims none
    assert f'data-claim="{stage_id}"' not in client.get("/review/queue/").content.decode()
