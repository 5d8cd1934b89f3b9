"""The whole online intake in a real browser (SPEC §2 一窗受理 and 一次性告知, §4 up to in_review).

A citizen applies for MKT-002 with uploads, the window clerk sends one correction notice,
the citizen corrects and resubmits, the clerk accepts, and the citizen reads the legal
due date and downloads the acceptance receipt. The pages are Chinese by default, so every
selector is an id, a name or a data attribute, never visible text.
"""

import re

import pytest

from tests.conftest import APPLICANT, PDF, PNG

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2026"
TIMEOUT_MS = 15_000


def _sign_in(browser, base_url: str, username: str):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("form[action='/logout/']")).to_be_attached()
    return page


def _upload(page, material: str, path) -> None:
    """Upload one file in a material's row and wait until the page lists it."""
    from playwright.sync_api import expect

    row = page.locator(f"tr[data-material='{material}']")
    before = row.locator("a[data-file]").get_attribute("data-file") if row.locator("a[data-file]").count() else None
    row.locator("input[type=file]").set_input_files(str(path))
    row.locator("button").click()
    link = page.locator(f"tr[data-material='{material}'] a[data-file]")
    expect(link).to_be_visible()
    if before is not None:
        expect(link).not_to_have_attribute("data-file", before)


def _expect_status(page, status: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_attribute("data-status", status)


def test_citizen_is_corrected_once_then_accepted_and_downloads_the_receipt(chromium, live_server, demo_world,
                                                                          tmp_path):
    from playwright.sync_api import expect

    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(PDF)
    png = tmp_path / "photo.png"
    png.write_bytes(PNG)
    corrected = tmp_path / "corrected.pdf"
    corrected.write_bytes(PDF.replace(b"%%EOF", b"% corrected\n%%EOF"))

    citizen = _sign_in(chromium, live_server.url, "citizen")
    clerk = _sign_in(chromium, live_server.url, "window")

    # The citizen finds the item, opens a draft with valid applicant data, uploads every material.
    citizen.goto("/services/MKT-002/")
    citizen.click("#apply")
    citizen.fill("#id_name", APPLICANT["name"])
    citizen.fill("#id_id_number", APPLICANT["id_number"])
    citizen.fill("#id_phone", APPLICANT["phone"])
    citizen.click("#save-draft")
    citizen.wait_for_url(re.compile(r"/applications/\d+/$"))
    application_path = re.search(r"/applications/\d+/$", citizen.url).group(0)
    _expect_status(citizen, "draft")

    materials = citizen.locator("tr[data-material]").evaluate_all("rows => rows.map(r => r.dataset.material)")
    assert len(materials) == 4, materials
    for index, material in enumerate(materials):
        _upload(citizen, material, png if index % 2 else pdf)
    citizen.click("#submit")
    _expect_status(citizen, "submitted")

    # The window clerk finds it among the new submissions and lists what is wrong, once.
    clerk.goto("/window/queue/")
    clerk.locator(f"a[href='{application_path}']").click()
    _expect_status(clerk, "submitted")
    faulty = materials[0]
    clerk.check(f"#correction-form input[name=material][value='{faulty}']")
    clerk.fill(f"#correction-form input[name='reason_{faulty}']", "复印件不清晰，请重新扫描")
    clerk.click("#issue-notice")
    _expect_status(clerk, "correction_requested")

    # The citizen reads the notice, replaces that material and resubmits.
    citizen.goto(application_path)
    _expect_status(citizen, "correction_requested")
    expect(citizen.locator(f"[data-notice='1'] li[data-material='{faulty}']")).to_contain_text("复印件不清晰")
    expect(citizen.locator(f"tr[data-material='{faulty}'] [data-asked]")).to_be_visible()
    _upload(citizen, faulty, corrected)
    citizen.click("#resubmit")
    _expect_status(citizen, "submitted")

    # The clerk accepts: the application enters review with a legal due date.
    clerk.goto(application_path)
    clerk.click("#accept")
    clerk.click("#confirm")  # acceptance cannot be undone: a second step says what it does
    _expect_status(clerk, "in_review")

    citizen.goto(application_path)
    _expect_status(citizen, "in_review")
    expect(citizen.locator("#due-date")).to_have_text(re.compile(r"^\s*\d{4}-\d{2}-\d{2}"))
    receipt = citizen.locator("a[data-kind='receipt']")
    expect(receipt).to_have_count(1)
    with citizen.expect_download() as download_info:
        receipt.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as receipt_file:
        assert receipt_file.read(5) == b"%PDF-"

    citizen.context.close()
    clerk.context.close()
