from dataclasses import replace
from datetime import datetime, timezone

import pytest


def test_a_naive_issue_time_is_refused(receipt):
    with pytest.raises(ValueError, match="aware"):
        replace(receipt, issued_at=datetime(2025, 3, 3, 9, 30))


def test_a_caption_without_an_address_to_verify_is_refused(receipt):
    with pytest.raises(ValueError, match="verify_url"):
        replace(receipt, verify_url="")


def test_a_verify_address_that_is_not_http_is_refused(receipt):
    with pytest.raises(ValueError, match="http"):
        replace(receipt, verify_url="javascript:alert(1)")


def test_an_unknown_language_or_time_zone_is_refused(receipt):
    with pytest.raises(ValueError, match="language"):
        replace(receipt, language="fr")
    with pytest.raises(ValueError, match="time zone"):
        replace(receipt, time_zone="Mars/Olympus")


def test_a_document_without_a_number_is_refused(receipt):
    with pytest.raises(ValueError, match="number"):
        replace(receipt, number=" ")


def test_paragraphs_given_as_one_string_are_refused(receipt):
    with pytest.raises(TypeError, match="paragraphs"):
        replace(receipt, paragraphs="一段文字")


def test_lists_are_frozen_into_tuples(receipt):
    fields = [("申请人", "张三")]

    document = replace(receipt, fields=fields, items=[("营业执照", "不清晰")])
    fields.append(("x", "y"))

    assert document.fields == (("申请人", "张三"),)
    assert document.items == (("营业执照", "不清晰"),)


def test_the_issue_date_is_the_calendar_date_in_the_documents_time_zone(receipt):
    # 20:00 UTC on 2 March is 04:00 on 3 March in Shanghai.
    late_evening_utc = datetime(2025, 3, 2, 20, 0, tzinfo=timezone.utc)

    assert replace(receipt, issued_at=late_evening_utc).local_issue_date == "2025年3月3日"
    english = replace(receipt, issued_at=late_evening_utc, language="en")
    assert english.local_issue_date == "3 March 2025"
    assert replace(english, time_zone="UTC").local_issue_date == "2 March 2025"


def test_a_document_is_immutable(receipt):
    with pytest.raises(AttributeError):
        receipt.title = "不予受理决定书"  # type: ignore[misc]
