"""Issue 12, phone layouts that the page-width crawler cannot see: a list's filters fold under
"筛选" on a phone (open when a filter is on) and stay in view on a desktop; the supervision
trend charts fit inside their cards, on a phone and on a desktop, instead of being cut off."""

import pytest

from tests.browser.everyone import new_page

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _signed_in(chromium, live_server, username, viewport):
    return new_page(chromium, live_server, viewport, username)


@pytest.mark.parametrize(("username", "url", "form", "field", "active"), [
    ("discipline", "/discipline/complaints/", "#complaint-filters", "#id_department", "?show=all&department=MARKET"),
    ("discipline", "/accountability/cases/", "#case-filters", "#id_department", "?department=MARKET"),
    ("reviewer_market", "/review/queue/", "form.filters", "#alert-filter", "?alert=red"),
    ("citizen", "/my/applications/", "#application-filters", "#id_status", "?status=approved"),
    ("citizen", "/my/complaints/", "#complaint-filters", "#id_status", "?status=closed"),
    ("citizen", "/inquiries/", "#inquiry-filters", "#id_status", "?status=answered"),
    ("window", "/pre-reviews/", "#pre-review-filters", "#id_alert", "?alert=red"),
    ("supervisor", "/projects/", "#project-filters", "#id_channel", "?channel=off"),
    ("supervisor", "/complaints/rectification/", "#rectification-filters", "#id_state", "?state=overdue"),
    ("window", "/inquiries/", "#inquiry-filters", "#id_status", "?status=referred"),
    ("reviewer_housing", "/inquiries/referred/", "#referred-filters", "#id_q", "?q=ZX"),
    ("head_market", "/staff/posts/", "#post-filters", "#id_state", "?state=absent"),
    ("window", "/window/queue/", "#window-filters", "#id_service", "?service=MKT-001"),
    ("supervisor", "/evaluations/follow-ups/", "#follow-up-filters", "#id_department", "?department=MARKET"),
    ("discipline", "/accountability/proposals/", "#proposal-filters", "#id_subject_role", "?subject_role=principal"),
    ("citizen", "/appraisal/", "#campaign-filters", "#id_state", "?state=published"),
    ("supervisor", "/intermediaries/", "#late-intermediary-filters", "#id_service", "?service=INT-001"),
    ("head_market", "/attendance/", "#leave-filters", "#id_department", "?department=MARKET"),
    ("manager_project", "/projects/KP-2026-001/", "#project-application-filters", "#id_status", "?status=approved"),
    ("supervisor", "/attendance/", "#board-filters", "#id_board-state", "?board-state=late"),
], ids=["complaints", "cases", "review-queue", "my-applications", "my-complaints", "my-questions", "pre-reviews",
        "key-projects", "rectification-reports", "my-inquiries", "referred-inquiries", "ab-posts", "window-queue",
        "follow-ups", "escalation-proposals",
        "appraisal-campaigns", "late-intermediaries",
        "leave-to-decide", "project-applications",
        "attendance-board"])
def test_list_filters_fold_on_a_phone_and_open_when_one_is_on(chromium, live_server, demo_world,
                                                              username, url, form, field, active):
    from playwright.sync_api import expect

    context, page = _signed_in(chromium, live_server, username, PHONE)
    page.goto(url)
    summary = page.locator(f"{form} summary")
    expect(summary).to_have_text("筛选")
    expect(page.locator(field)).to_be_hidden()
    assert page.locator(form).bounding_box()["height"] < 120, "the folded filters take one line"
    summary.click()
    expect(page.locator(field)).to_be_visible()

    page.goto(url + active)
    expect(page.locator(field)).to_be_visible()
    expect(summary).to_contain_text("已启用筛选")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the open filters fit"
    context.close()

    context, page = _signed_in(chromium, live_server, username, DESKTOP)
    page.goto(url)
    expect(page.locator(field)).to_be_visible()
    expect(page.locator(f"{form} summary")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_trend_charts_fit_their_cards(chromium, live_server, demo_world, viewport):
    context, page = _signed_in(chromium, live_server, "supervisor", viewport)
    page.goto("/supervision/")
    cards = page.locator(".charts figure.card")
    assert cards.count() >= 3
    for i in range(cards.count()):
        card = cards.nth(i)
        box = card.bounding_box()
        shown = [s for s in card.locator("svg.chart").all() if s.is_visible()]
        assert len(shown) == 1, f"chart {i}: {len(shown)} drawings shown"
        chart = shown[0].bounding_box()
        assert box["x"] <= chart["x"] and chart["x"] + chart["width"] <= box["x"] + box["width"], \
            f"chart {i} is cut off: {chart} outside {box}"
        assert card.evaluate("e => e.scrollWidth <= e.clientWidth"), f"chart {i} scrolls inside its card"
        # Its 12-unit labels are drawn at least 11 px high.
        label = shown[0].locator("text").first.bounding_box()
        assert label["height"] >= 11, label
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()


def test_labelled_fields_in_a_row_stack_full_width_on_a_phone(chromium, live_server, demo_world):
    context, page = _signed_in(chromium, live_server, "window", PHONE)
    page.goto("/attendance/")
    reason = page.locator("input[name=reason]").first.bounding_box()
    assert reason["width"] > 250, f"the leave reason box is {reason['width']} px wide"
    page.goto("/services/")
    assert page.locator("form.search input[name=q]").get_attribute("placeholder") == "输入事项名称、编号或部门"
    context.close()


def test_a_pair_of_figures_stays_on_one_line_in_a_narrow_table(chromium, live_server, demo_world):
    """"0 / 0" (alerts yellow / red, cases / sanctions, days used / committed) in the officials
    table: on a narrow screen, where the table is still a table, and in a phone's cards."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for dotted in settings.DEMO_SEED_ADDITIONS:
        import_string(dotted)()
    import_string(settings.DEMO_HISTORY)()  # last month: officials with figures
    context, page = _signed_in(chromium, live_server, "supervisor", {"width": 700, "height": 900})
    for width in (700, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/supervision/departments/MARKET/")
        pairs = page.locator("#officials td .pair")
        assert pairs.count() >= 6
        lines = pairs.evaluate_all(
            "els => els.map(e => [e.textContent, new Set([...e.getClientRects()].map(r => Math.round(r.top))).size])")
        assert all(n == 1 for _, n in lines), f"{width}px: {[t for t, n in lines if n != 1]} wrap"
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_english_pages_fit_and_a_table_that_scrolls_takes_the_keyboard(chromium, live_server, demo_world, viewport):
    """English words are longer: the supervisor's longest menu stays inside the header, no page is
    wider than the screen, and a table wider than its box can be scrolled from the keyboard."""
    from django.conf import settings

    context, page = _signed_in(chromium, live_server, "supervisor", viewport)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    for url in ("/supervision/", "/supervision/reports/monthly/", "/workbench/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
        if viewport is DESKTOP:
            header = page.locator("header .bar").bounding_box()
            right = page.eval_on_selector_all("#site-nav > *", "els => Math.max(...els.map(e => e.getBoundingClientRect().right))")
            assert right <= header["x"] + header["width"] + 1, f"{url}: the menu runs off the header"
        boxes = page.eval_on_selector_all(".table-wrap", """els => els.map(e => [e.scrollWidth > e.clientWidth,
            e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')])""")
        for scrolls, tabindex, role, label in boxes:
            assert not scrolls or (tabindex == "0" and role == "region" and label), f"{url}: {boxes}"
    # The search box beside a select of long English department names keeps its room.
    page.goto("/staff/")
    box = page.locator("form.search input[name=q]").bounding_box()
    assert box["width"] >= min(300, viewport["width"] - 80), f"the staff search box is {box['width']} px wide"
    context.close()
