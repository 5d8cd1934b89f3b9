"""The writes of the load mix answer with the application as committed, and write only what
they changed (issue 9 item 9: the per-call cost of the writes)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from approvals import services
from approvals.locks import application_lock, application_save
from approvals.models import Application
from tests.approvals.test_intake_api import MKT2, complete_draft, draft, notice
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def _same_as_read_again(client, response):
    assert response.status_code == 200, response.json()
    again = client.get(f"/api/applications/{response.json()['id']}/")
    assert again.status_code == 200
    assert response.json() == again.json()
    return response.json()


def test_every_action_answers_with_the_application_as_it_is_read_afterwards(world, api):
    """The answer is built from the service's own instance (not read again): it must equal a
    fresh read field for field, whatever the action changed."""
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    assert _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/submit/"))["status"] == "submitted"
    assert notice(clerk, app["id"], ["LICENCE"]).status_code == 200
    upload(citizen, app["id"], "LICENCE")
    assert _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/resubmit/"))["status"] == "submitted"
    accepted = _same_as_read_again(clerk, clerk.post(f"/api/applications/{app['id']}/accept/"))
    assert accepted["status"] == "in_review" and accepted["stages"] and accepted["documents"]
    withdrawn = _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/withdraw/"))
    assert withdrawn["status"] == "withdrawn" and {s["status"] for s in withdrawn["stages"]} == {"cancelled"}

    refused = complete_draft(citizen)
    citizen.post(f"/api/applications/{refused['id']}/submit/")
    body = _same_as_read_again(clerk, clerk.post(f"/api/applications/{refused['id']}/refuse/", {
        "reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"}, format="json"))
    assert body["status"] == "not_accepted" and body["refusal"]["reason"] == "不属于本机关职权"

    walk_in = draft(clerk)
    for code in MKT2:
        upload(clerk, walk_in["id"], code)
    body = _same_as_read_again(clerk, clerk.post(f"/api/applications/{walk_in['id']}/submit/"))
    assert body["spot_intake"]["due_at"] and body["intake_center"]


def _application_updates(queries):
    """The UPDATEs of applications sent, as written (a statement prepared by the server is sent
    as its EXECUTE with the SQL in a comment: portal.prepared)."""
    table = Application._meta.db_table
    sent = [q["sql"].split("/* ", 1)[1].rsplit(" */", 1)[0].replace("%%", "%") if q["sql"].startswith("EXECUTE ")
            else q["sql"] for q in queries.captured_queries]
    return [sql for sql in sent if sql.startswith(f'UPDATE "{table}"')]


def test_submit_and_accept_write_only_the_columns_they_change(world, api):
    citizen = api(world.citizen)
    app = complete_draft(citizen)
    with CaptureQueriesContext(connection) as queries:
        services.application_submit(actor=world.citizen, application_id=app["id"])
    [update] = _application_updates(queries)
    written = update.split(" SET ")[1].split(" WHERE ")[0]
    assert sorted(c.split(" = ")[0].strip('"') for c in written.split(", ")) == \
        ["intake_due_at", "status", "submitted_at"]
    with CaptureQueriesContext(connection) as queries:
        accepted = services.application_accept(actor=world.window, application_id=app["id"])
    [update] = _application_updates(queries)
    assert '"number"' not in update and '"applicant_name"' not in update and '"status"' in update
    stored = Application.objects.get(pk=app["id"])
    for field in Application._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(accepted, field.attname), field.name


def test_a_column_a_service_changes_is_written_without_being_named(world, api):
    """application_save compares with what the lock read: any column changed is written, and
    a second save in the same transaction writes only what changed after the first."""
    app = draft(api(world.citizen))
    with transaction.atomic():
        application = application_lock(app["id"])
        application.applicant_phone = "13900139000"
        application_save(application)
        application.applicant_email = "chen@example.cn"
        with CaptureQueriesContext(connection) as queries:
            application_save(application)
        [update] = _application_updates(queries)
        assert '"applicant_email"' in update and '"applicant_phone"' not in update
        with CaptureQueriesContext(connection) as queries:
            application_save(application)  # nothing changed: nothing written
        assert _application_updates(queries) == []
    stored = Application.objects.get(pk=app["id"])
    assert (stored.applicant_phone, stored.applicant_email) == ("13900139000", "chen@example.cn")


def test_an_upload_reads_the_application_once_under_its_lock_and_the_material_from_the_catalogue(world, api):
    citizen = api(world.citizen)
    app = draft(citizen)
    upload(citizen, app["id"], "FORM")  # the catalogue is cached by now
    with CaptureQueriesContext(connection) as queries:
        assert upload(citizen, app["id"], "LICENCE").status_code == 201
    table = f'"{Application._meta.db_table}"'
    reads = [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]
    assert len(reads) == 1 and '"applicant_id" =' in reads[0]
    assert "FOR UPDATE" in reads[0] or connection.vendor != "postgresql"  # SQLite locks the whole file
    # Only what an upload reads of the row (approvals.locks.UPLOAD_FIELDS): not the applicant's
    # personal data, not the item (the catalogue has it).
    assert '"status"' in reads[0] and '"applicant_name"' not in reads[0] and "catalogue_serviceitem" not in reads[0]
    assert not any("catalogue_materialrequirement" in q["sql"] or "catalogue_serviceitem" in q["sql"]
                   for q in queries.captured_queries)


@pytest.mark.parametrize("body", [
    {"material": "LICENCE"},  # no file: the serializer's 400
    {"material": "LICENCE", "file": ("scan.exe", b"MZ\x90\x00 not a document")},  # the file check's 415
    {"material": "NOPE", "file": ("scan.pdf", None)},  # an unknown material: 400 after the lock
])
def test_an_upload_to_an_application_one_may_not_see_is_404_whatever_else_is_wrong(world, api, body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF

    app = draft(api(world.citizen))
    data = dict(body)
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, content or PDF)
    url = f"/api/applications/{app['id']}/materials/"
    assert api(world.citizen2).post(url, data, format="multipart").status_code == 404
    assert api(world.citizen2).post(f"/api/applications/{10**9}/materials/", data, format="multipart").status_code == 404
    if "file" in data:
        data["file"].seek(0)
    assert api(world.citizen).post(url, data, format="multipart").status_code in (400, 415)


def test_an_item_withdrawn_from_the_catalogue_takes_no_new_application_but_its_drafts_take_files(world, api):
    from portal.catalogue.models import ServiceItem

    citizen = api(world.citizen)
    app = draft(citizen)  # the catalogue is cached by now
    item = ServiceItem.objects.get(code="MKT-002")
    item.published = False
    item.save()
    response = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json")
    assert response.status_code == 400 and "service" in response.json()["fields"]
    assert upload(citizen, app["id"], "LICENCE").status_code == 201
    assert upload(citizen, app["id"], "NOPE").status_code == 400


def test_acceptance_takes_the_stages_department_and_issuer_from_the_catalogue_and_sees_its_changes(world, api):
    """Acceptance plans its stages from the cached catalogue (no query for the item's stages,
    department or center); a stage's limit edited in the catalogue counts from the next
    acceptance on, and the receipt names the department's center as its issuer."""
    from approvals.models import IssuedDocument
    from portal.catalogue.models import ServiceItem

    citizen = api(world.citizen)
    first, second = complete_draft(citizen), complete_draft(citizen)
    for app in (first, second):
        citizen.post(f"/api/applications/{app['id']}/submit/")
    with CaptureQueriesContext(connection) as queries:
        services.application_accept(actor=world.window, application_id=first["id"])
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "catalogue_stagerequirement" not in read and 'FROM "organisation_department"' not in read
    item = ServiceItem.objects.select_related("department__center").get(code="MKT-002")
    receipt = IssuedDocument.objects.get(application_id=first["id"], kind="receipt")
    assert receipt.content["issuer"] == item.department.center.name
    assert not item.stages.exists()  # one stage at the item's department, on its committed limit
    [stage] = Application.objects.get(pk=first["id"]).stages.all()
    assert (stage.department_id, stage.days) == (item.department_id, item.committed_days)
    item.committed_days -= 1
    item.save()  # the signal drops the cached catalogue
    services.application_accept(actor=world.window, application_id=second["id"])
    [stage] = Application.objects.get(pk=second["id"]).stages.all()
    assert stage.days == item.committed_days


def test_submit_reads_the_application_once_under_its_lock_and_the_materials_from_the_catalogue(world, api):
    from portal.catalogue.models import ServiceItem

    citizen = api(world.citizen)
    app = draft(citizen)
    upload(citizen, app["id"], "LICENCE")
    assert api(world.citizen2).post(f"/api/applications/{app['id']}/submit/").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        refused = citizen.post(f"/api/applications/{app['id']}/submit/")
    assert refused.status_code == 400
    required = [m.code for m in ServiceItem.objects.get(code="MKT-002").materials.order_by("order", "id")
                if m.required and m.code != "LICENCE"]
    assert [m["material"] for m in refused.json()["fields"]["materials"]] == required
    table = f'"{Application._meta.db_table}"'
    reads = [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]
    assert len(reads) == 1 and '"applicant_id" =' in reads[0]
    assert "FOR UPDATE" in reads[0] or connection.vendor != "postgresql"  # SQLite locks the whole file
    assert not any("catalogue_materialrequirement" in q["sql"] for q in queries.captured_queries)
    for code in required:
        upload(citizen, app["id"], code)
    assert _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/submit/"))["status"] == "submitted"


def test_a_create_and_an_upload_take_their_audit_ids_with_a_statement_they_send_anyway(world, api):
    """The audit entry of a new application and of an upload gets its id from the sequence in
    the statement that reserves the application's id or inserts the file (no ``nextval`` of its
    own); the entries are in the application's history in the order written, and the chain
    verifies with them."""
    from portal.audit.models import AuditEvent
    from portal.audit.services import audit_seal, audit_verify

    citizen = api(world.citizen)
    draft(citizen)  # the catalogue and the statements' texts are made by now
    # Each request empties the query log it starts with: the statements are taken before the next.
    with CaptureQueriesContext(connection) as queries:
        app = draft(citizen)
    created = [q["sql"] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        assert upload(citizen, app["id"], "FORM").status_code == 201
    uploaded = [q["sql"] for q in queries.captured_queries]
    assert any(sql.startswith('INSERT INTO "approvals_application"') for sql in created), created
    assert any(sql.startswith('INSERT INTO "approvals_materialfile"') for sql in uploaded), uploaded
    for sent in (created, uploaded):
        assert not any("generate_series" in sql for sql in sent), sent
        assert sum('INSERT INTO "audit_auditevent"' in sql for sql in sent) == 1
    if connection.vendor == "postgresql":
        insert = next(sql for sql in uploaded if sql.startswith('INSERT INTO "approvals_mat'))
        assert "nextval(" in insert
    events = list(AuditEvent.objects.filter(object_type="application", object_id=app["id"]).order_by("id")
                  .values_list("action", flat=True))
    assert events == ["create", "upload"]
    audit_seal()
    report = audit_verify()
    assert report.first_bad_id is None and report.unsealed == 0 and report.checked >= 2


def _reads_of(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(f'SELECT "{table}".')
            or f'/* SELECT "{table}".' in q["sql"]]


def test_acceptance_answers_with_the_stages_it_created_without_reading_them_back(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    with CaptureQueriesContext(connection) as queries:
        accepted = clerk.post(f"/api/applications/{app['id']}/accept/")
    assert not _reads_of(queries, "approvals_stage")
    body = _same_as_read_again(clerk, accepted)
    stored = list(Application.objects.get(pk=app["id"]).stages.order_by("id"))
    assert [s["id"] for s in body["stages"]] == [s.pk for s in stored] and stored
    assert body["materials"] and body["documents"] and body["events"][-1]["action"] == "accept"


def test_submit_reads_the_files_once_for_its_check_and_its_answer(world, api):
    citizen = api(world.citizen)
    app = complete_draft(citizen)
    with CaptureQueriesContext(connection) as queries:
        submitted = citizen.post(f"/api/applications/{app['id']}/submit/")
    assert len(_reads_of(queries, "approvals_materialfile")) == 1
    body = _same_as_read_again(citizen, submitted)
    assert sorted(m["material"] for m in body["materials"]) == sorted(MKT2)


def test_the_answers_files_take_their_material_from_the_database_when_the_catalogue_lacks_it(world, api):
    """An application's file whose material is no longer among its item's published ones (the
    catalogue's copy) is shown with its material read from the database."""
    from approvals import selectors
    from portal.catalogue.selectors import published_catalogue

    citizen = api(world.citizen)
    app = complete_draft(citizen)
    application = Application.objects.get(pk=app["id"])
    application.service = next(i for i in published_catalogue() if i.pk == application.service_id)
    expected = [(f.pk, f.requirement.code) for f in application.files.select_related("requirement")]
    assert [(f.pk, f.requirement.code) for f in selectors.application_files(application)] == expected
    application.service._prefetched_objects_cache = {**application.service._prefetched_objects_cache,
                                                     "materials": []}
    with CaptureQueriesContext(connection) as queries:
        files = selectors.application_files(application)
    assert [(f.pk, f.requirement.code) for f in files] == expected
    assert len(_reads_of(queries, "approvals_materialfile")) == 2


@pytest.mark.parametrize("post", ["county window", "township window", "village window", "village department",
                                  "township window of a village department", "no post"])
def test_acceptance_is_refused_at_a_proxy_point_whatever_the_post_says_it_is(world, post):
    """``require_accepting_center`` says what ``is_proxy_point(center_of(user))`` says: the center
    of the post's window, else of its department — in one statement."""
    from django.contrib.auth.models import User

    from approvals import referrals
    from portal.errors import PermissionDenied
    from portal.organisation.models import Department, ServiceCenter, StaffProfile, Window

    village = ServiceCenter.objects.get(code="VIL")
    village_office = Department.objects.create(code="VILOFF", name="示例村代办室", center=village)
    users = {"county window": world.window, "township window": world.window_town,
             "village window": world.proxy_village}
    if post in users:
        user = users[post]
    else:
        user = User.objects.create_user(post.replace(" ", "_")[:30])
        if post != "no post":
            window = Window.objects.get(center__code="TOWN", number="01") if "township" in post else None
            StaffProfile.objects.create(user=user, badge="X0001", department=village_office, window=window)
    user = User.objects.get(pk=user.pk)  # fresh: no profile read yet
    expected = referrals.is_proxy_point(referrals.center_of(user))
    assert expected == (post in ("village window", "village department"))
    user = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        try:
            referrals.require_accepting_center(user)
            refused = False
        except PermissionDenied as error:
            refused = error.code == "proxy_point_cannot_accept"
    assert refused == expected and len(queries.captured_queries) == 1


def test_a_save_whose_row_is_gone_fails_as_djangos_does(world, api):
    from django.db import DatabaseError

    app = draft(api(world.citizen))
    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        application = application_lock(app["id"])
        Application.objects.filter(pk=app["id"]).delete()
        application.applicant_phone = "13900139000"
        application_save(application)


def test_a_listener_to_the_applications_saves_is_told_of_every_write(world, api):
    """The UPDATE written once per set of columns is Django's save when anything listens."""
    from django.db.models.signals import post_save, pre_save

    heard = []

    def listen(sender, instance, update_fields, **kwargs):
        heard.append((kwargs["signal"] is pre_save, instance.pk, sorted(update_fields)))

    app = complete_draft(api(world.citizen))
    pre_save.connect(listen, sender=Application, weak=False)
    post_save.connect(listen, sender=Application, weak=False)
    try:
        services.application_submit(actor=world.citizen, application_id=app["id"])
    finally:
        pre_save.disconnect(listen, sender=Application)
        post_save.disconnect(listen, sender=Application)
    written = ["intake_due_at", "status", "submitted_at"]
    assert heard == [(True, app["id"], written), (False, app["id"], written)]
    assert Application.objects.get(pk=app["id"]).status == "submitted"


@pytest.mark.parametrize(("username", "body"), [
    ("citizen", {"service": "MKT-002", "applicant": APPLICANT}),
    ("window", {"service": "MKT-002", "applicant": APPLICANT}),  # a walk-in, at the clerk's center
    ("enterprise", {"service": "MKT-003", "applicant": APPLICANT, "project": "KP-2026-001"}),  # a key project's
])
def test_a_new_application_answers_as_it_is_read_afterwards_without_reading_it_back(world, api, username, body):
    """A create's answer is built from what the service knows (no related rows yet, its history
    the one entry it wrote): equal to a fresh read field for field, with no read of the related
    lists or of the history."""
    from django.contrib.auth.models import User

    client = api(User.objects.get(username=username))
    draft(client)  # the catalogue and the statements' texts are made by now
    with CaptureQueriesContext(connection) as queries:
        created = client.post("/api/applications/", body, format="json")
    sent = [q["sql"] for q in queries.captured_queries]  # before the next request empties the log
    assert created.status_code == 201, created.json()
    assert sent and any('INSERT INTO "approvals_application"' in sql for sql in sent), sent
    assert not any("EXISTS (SELECT 1 FROM" in sql or '"audit_auditevent"."at"' in sql for sql in sent), sent
    again = client.get(f"/api/applications/{created.json()['id']}/")
    assert created.json() == again.json()
    assert [e["action"] for e in created.json()["events"]] == ["create"]
