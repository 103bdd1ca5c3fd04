"""In headless Chromium: the pair view of seeds 000 and 001, on the web page and in the scan report.

Each shared passage must be highlighted in one colour on both sides; selecting one (click, or keyboard)
must bring its counterpart into view in the other text; the view must be usable on a phone-sized screen.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.ui.conftest import Live

VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

IN_VIEW = """el => {
    const box = el.closest('.text').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom && r.bottom > 0 && r.top < window.innerHeight;
}"""


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def passages(page: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Each passage's colour, text and position on both sides, read from the rendered page."""
    return page.evaluate(
        """prefix => {
        const pair = document.querySelector('[data-pair]');
        const n = parseInt(pair.getAttribute('data-count'), 10);
        const out = [];
        for (let i = 0; i < n; i++) {
            const side = s => {
                const first = document.getElementById(prefix + s + '-p' + i);
                const all = pair.querySelectorAll('.text[data-side=' + s + '] [data-p="' + i + '"]');
                return {
                    tag: first && first.tagName,
                    colour: first && getComputedStyle(first).backgroundColor,
                    text: Array.from(all).map(e => e.textContent).join(''),
                    top: first && first.offsetTop,
                };
            };
            out.push({n: i, a: side('a'), b: side('b')});
        }
        return out;
    }""",
        prefix,
    )


def check_highlighted_on_both_sides(page: Any, prefix: str = "") -> list[dict[str, Any]]:
    found = passages(page, prefix)
    assert len(found) >= 2, "seeds 000 and 001 share several passages"
    for p in found:
        for side in ("a", "b"):
            assert p[side]["tag"] == "A", f"passage {p['n'] + 1} has no highlighted start on side {side}"
            assert p[side]["text"].strip(), f"passage {p['n'] + 1} shows no text on side {side}"
        assert p["a"]["colour"] == p["b"]["colour"] != "rgba(0, 0, 0, 0)"
    colours = [p["a"]["colour"] for p in found[:8]]
    assert len(set(colours)) == len(colours), "the first passages are told apart by colour"
    shared = " ".join(p["a"]["text"] + " " + p["b"]["text"] for p in found)
    assert "become a distraction in its foreign policy" in shared
    return found


def check_click_brings_counterpart_into_view(page: Any, found: list[dict[str, Any]], prefix: str = "") -> None:
    """Click the passage whose counterpart in b lies furthest down (out of view), then wait for it."""
    far = max(found, key=lambda p: p["b"]["top"])
    n = far["n"]
    counterpart = page.locator(f"#{prefix}b-p{n}")
    assert not counterpart.evaluate(IN_VIEW), "the counterpart must start out of view for the test to mean much"
    page.locator(f"#{prefix}a-p{n}").scroll_into_view_if_needed()
    page.locator(f"#{prefix}a-p{n}").click()
    page.wait_for_function(f"() => ({IN_VIEW})(document.getElementById('{prefix}b-p{n}'))", timeout=5000)
    assert counterpart.evaluate("el => el.classList.contains('current')")
    assert page.evaluate("() => document.activeElement.id") == f"{prefix}b-p{n}"
    # and back, from the keyboard: Enter on the focused counterpart brings the left one into view
    page.locator(f"#{prefix}a-p{n}").evaluate("el => el.closest('.text').scrollTop = 0")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({IN_VIEW})(document.getElementById('{prefix}a-p{n}'))", timeout=5000)
    assert page.evaluate("() => document.activeElement.id") == f"{prefix}a-p{n}"


def test_pair_page_highlights_each_passage_on_both_sides_and_scrolls_to_counterparts(page: Any, live: Live) -> None:
    page.goto(live.url(f"/ui/pair/{live.ids['000']}/{live.ids['001']}"))
    found = check_highlighted_on_both_sides(page)
    check_click_brings_counterpart_into_view(page, found)
    # the credit line of 001 is greyed
    muted = page.locator(".text[data-side=b] span.muted", has_text="Additional reporting by Reuters")
    assert muted.count() == 1
    assert muted.evaluate("el => getComputedStyle(el).fontStyle") == "italic"


def test_next_passage_button_and_keys_step_through_passages(page: Any, live: Live) -> None:
    page.goto(live.url(f"/ui/pair/{live.ids['000']}/{live.ids['001']}"))
    page.get_by_role("button", name="Next passage").click()
    page.wait_for_function(f"() => ({IN_VIEW})(document.getElementById('b-p0'))")
    assert "Passage 1 of" in page.locator(".status").inner_text()
    page.keyboard.press("n")
    assert "Passage 2 of" in page.locator(".status").inner_text()
    page.keyboard.press("p")
    assert "Passage 1 of" in page.locator(".status").inner_text()


def test_article_page_lists_overlaps_and_links_to_the_pair_view(page: Any, live: Live) -> None:
    page.goto(live.url(f"/ui/articles/{live.ids['000']}"))
    rows = page.locator("table.overlaps tbody tr")
    assert rows.count() == 2, "000 overlaps 001 and 002, never the 2022 story"
    row = rows.filter(has_text="Ukraine crisis")
    assert "probably Reuters" in row.inner_text()
    row.get_by_role("link", name="side by side").click()
    page.wait_for_selector("[data-pair]")
    check_highlighted_on_both_sides(page)


def test_pages_fit_a_phone_screen(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for path in (f"/ui/pair/{live.ids['000']}/{live.ids['001']}", f"/ui/articles/{live.ids['001']}", "/ui"):
            page.goto(live.url(path))
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= PHONE["width"], f"{path} scrolls sideways on a phone ({wide}px)"
        sides = page.goto(live.url(f"/ui/pair/{live.ids['000']}/{live.ids['001']}"))
        assert sides is not None
        boxes = page.locator(".side").evaluate_all("els => els.map(e => e.getBoundingClientRect().left)")
        assert boxes[0] == boxes[1], "the two texts stack on a phone"
    finally:
        context.close()


def test_scan_report_pair_view_works_offline(page: Any, seed_report: dict[str, Any]) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(seed_report["html"].as_uri())
    report = json.loads(seed_report["json"].read_text(encoding="utf-8"))
    assert page.locator("#pair-table tbody tr").count() == len(report["pairs"])
    row = page.locator("#pair-table tbody tr", has_text="000.txt").filter(has_text="001.txt")
    assert "probably Reuters" in row.inner_text()
    row.get_by_role("link", name="side by side").click()
    page.wait_for_selector("#viewer:not([hidden]) [data-pair]")
    prefix = page.locator("[data-pair]").get_attribute("data-prefix")
    found = check_highlighted_on_both_sides(page, prefix)
    check_click_brings_counterpart_into_view(page, found, prefix)
    # back to the list, then filter it
    page.get_by_role("link", name="All pairs").click()
    page.wait_for_selector("#pair-table")
    page.locator("#filter").fill("003")
    assert page.locator("#pair-table tbody tr:not([hidden])").count() == 1
    assert all(url.startswith("file://") for url in requests), requests


def test_scan_report_greys_site_boilerplate(page: Any, boilerplate_report: dict[str, Any]) -> None:
    page.goto(boilerplate_report["html"].as_uri() + "#pair-0")
    page.wait_for_selector("#viewer:not([hidden]) [data-pair]")
    for side in ("a", "b"):
        grey = page.locator(f".text[data-side={side}] span.muted", has_text="Your support helps us to tell the story")
        assert grey.count() == 1
        assert (grey.get_attribute("title") or "").startswith("boilerplate")
        assert grey.evaluate("el => getComputedStyle(el).color") == "rgb(95, 95, 95)"
    check_highlighted_on_both_sides_once(page)


def check_highlighted_on_both_sides_once(page: Any) -> None:
    prefix = page.locator("[data-pair]").get_attribute("data-prefix")
    for side in ("a", "b"):
        first = page.locator(f"#{prefix}{side}-p0")
        assert "largest investment in the harbour" in first.inner_text()


URDU_SHARED = (
    "وفاقی وزیر خزانہ نے پیر کے روز اسلام آباد میں صحافیوں سے بات کرتے ہوئے کہا کہ حکومت آئندہ مالی سال کے بجٹ میں "
    "تنخواہ دار طبقے پر کوئی نیا ٹیکس نہیں لگائے گی اور بجلی کے نرخوں میں کمی کے لیے عالمی مالیاتی فنڈ سے بات چیت "
    "جاری ہے۔ انہوں نے کہا کہ برآمدات میں گزشتہ چھ ماہ کے دوران دس فیصد اضافہ ہوا ہے۔"
)
URDU_AGENCY = f"{URDU_SHARED}\n\nانہوں نے بتایا کہ زرمبادلہ کے ذخائر مستحکم ہیں اور روپے کی قدر میں بہتری آئی ہے۔"
URDU_PAPER = (
    "اسلام آباد (نمائندہ خصوصی)\n\n"
    f"{URDU_SHARED}\n\n"
    "اپوزیشن جماعتوں نے حکومت کے دعووں کو مسترد کرتے ہوئے کہا کہ مہنگائی نے عام آدمی کی زندگی اجیرن کر دی ہے۔"
)

STARTS = """el => {
    // where the first line of this passage starts: its first box's right edge (right-to-left text) and left
    // edge, against the text pane's content box
    const pane = el.closest('.text');
    const style = getComputedStyle(pane);
    const box = pane.getBoundingClientRect();
    const first = el.getClientRects()[0];
    return {
        right_gap: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) - first.right,
        left_gap: first.left - box.left - parseFloat(style.paddingLeft) - parseFloat(style.borderLeftWidth),
    };
}"""


def test_right_to_left_articles_read_from_the_right_and_english_ones_from_the_left(page: Any, live: Live) -> None:
    # an Urdu paragraph set left to right starts at the left edge with its punctuation on the wrong side
    with httpx.Client(base_url=live.base, timeout=60) as client:
        stored = [
            client.post("/api/v1/articles", json={"text": text, "source": source, "title": title}).json()
            for text, source, title in ((URDU_AGENCY, "APP", "بجٹ میں نیا ٹیکس نہیں"), (URDU_PAPER, "Daily", "بجٹ"))
        ]
    ids = [s["article"]["id"] for s in stored]
    page.goto(live.url(f"/ui/pair/{ids[1]}/{ids[0]}"))
    assert passages(page), "the shared Urdu paragraph must be found"
    for side in ("a", "b"):
        gaps = page.locator(f"#{side}-p0").evaluate(STARTS)
        assert abs(gaps["right_gap"]) < 2, gaps  # starts at the right edge
        assert gaps["left_gap"] > 2, gaps
    assert page.locator("details.passages .snip").first.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.goto(live.url(f"/ui/pair/{live.ids['000']}/{live.ids['001']}"))
    gaps = page.locator(".text[data-side=b] span.muted", has_text="Additional reporting by Reuters").evaluate(STARTS)
    assert abs(gaps["left_gap"]) < 2, gaps
