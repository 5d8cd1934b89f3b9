"""Large text (长者模式, for older readers): every link and button of the header keeps a contrast of
at least 4.5:1 (WCAG AA) against the header's dark red, signed out and signed in, on a phone
(menu unfolded) and on a desktop. The page's own dark blue links had 1.6:1 there."""

import pytest

from tests.browser.everyone import new_page

pytestmark = pytest.mark.browser

CONTRASTS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const back = lum(rgb(getComputedStyle(document.querySelector("header.top")).backgroundColor));
  return [...document.querySelectorAll("header.top a, header.top button, header.top summary")]
    .filter((e) => e.offsetParent !== null && !e.closest(".more-list"))
    .map((e) => { const f = lum(rgb(getComputedStyle(e).color));
                  return [e.textContent.trim(), (Math.max(f, back) + 0.05) / (Math.min(f, back) + 0.05)]; });
}"""


@pytest.mark.parametrize("username", [None, "supervisor"])
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_the_header_stays_readable_in_large_text(chromium, live_server, demo_world, username, viewport):
    context, page = new_page(chromium, live_server, viewport, username)
    page.goto("/services/")
    page.click("#elder-toggle") if viewport["width"] > 800 else (
        page.click("label[for=menu-toggle]"), page.click("#elder-toggle"))
    page.wait_for_load_state()
    assert page.locator("html.elder").count() == 1
    if viewport["width"] < 800:
        page.click("label[for=menu-toggle]")
    contrasts = page.evaluate(CONTRASTS)
    assert len(contrasts) >= 4, contrasts
    low = [(text, round(ratio, 2)) for text, ratio in contrasts if ratio < 4.5]
    assert not low, low
    context.close()
