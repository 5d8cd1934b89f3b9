"""Records that change only through their services are shown in the admin, never added by hand."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("changelist", ["/admin/accountability/accountabilitycase/", "/admin/complaints/complaint/",
                                        "/admin/audit/auditevent/"])
def test_a_read_only_record_is_listed_but_cannot_be_added(admin_client, changelist):
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist + "add/").status_code == 403
