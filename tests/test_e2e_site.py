"""The static public website in Chromium (#15), served by a plain static server on loopback as a web host would:
no request leaves the site, no horizontal scroll at 360, 1280 and 1920 px, axe-core finds no serious or critical
violation on any kind of page, the plan's filter works with JavaScript and every item is listed without it."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_site import built  # noqa: F401  (the module's store and its site)

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(built):  # noqa: F811
    _engine, site, _ev, _r = built
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)
    yield url, site
    proc.terminate()
    proc.wait(timeout=10)


def every_page(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


# A page's structure: the kinds of element it holds, each as its parent's tag, its tag, its attribute names (and
# its language) and whether it holds text of its own (the text itself, and how many of a kind, left out). Pages of
# one template with the same structure get the same verdict from axe-core's rules.
STRUCTURE = """() => [...new Set(Array.from(document.querySelectorAll('*'), e => (e.parentElement?.tagName ?? '')
    + '>' + e.tagName + '[' + e.getAttributeNames().sort() + ']' + (e.getAttribute('lang') ?? '')
    + (Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) ? 't' : '')))].sort().join(' ')"""


def test_every_page_is_accessible_stays_on_the_site_and_fits_a_phone(served, browser):
    """Every page: loads, asks nothing of another host, no sideways scroll at 360 px; axe-core on every page of a
    structure not seen yet (the 60 item pages come from one template: axe reads the ones that differ in what they
    hold)."""
    url, site = served
    axe = Axe()
    outside, failed, checked = [], [], {}
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
    page = context.new_page()
    for path in every_page(site):
        response = page.goto(url + path)
        assert response.ok, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} scrolls sideways on a phone"
        structure = page.evaluate(STRUCTURE)
        if structure in checked:
            continue
        checked[structure] = path
        results = axe.run(page)
        bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            failed.append((path, bad))
    context.close()
    assert not failed, failed
    assert not outside, outside[:5]
    assert len(every_page(site)) > len(checked) > 20  # every page kind in both languages, items more than once


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_main_pages_fit_a_projector_and_a_wide_screen(served, browser, width):
    url, _site = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 720 if width == 1280 else 1080})
    for path in ("index.html", "plan.html", "items/1.html", "rounds/2567-1.html", "budget.html", "targets.html",
                 "en/rounds/2567-1.html"):
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main td, main dd')).fontSize)")
        assert size >= 17, f"{path}: body text {size}px"
    page.goto(url + "rounds/2567-1.html")
    page.screenshot(path=str(SHOTS / f"site-round-{width}.png"), full_page=True)
    page.close()


def test_the_plan_filters_by_dimension_unit_and_words_and_lists_everything_without_javascript(served, browser):
    url, _site = served
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(url + "plan.html")
    rows = page.locator("table[data-filter] tbody tr")
    assert rows.count() == 30
    page.get_by_label("มิติ").select_option("3")
    assert page.locator("table[data-filter] tbody tr:visible").count() == 5
    assert page.get_by_role("status").inner_text() == "แสดง 5 จาก 30 รายการ"
    assert "dimension=3" in page.url  # the filter is in the address: a link to it shows the same
    page.get_by_label("ค้นหาคำ").fill("ประชาคม")
    assert page.locator("table[data-filter] tbody tr:visible").count() == 1
    page.goto(page.url)  # opened from the link
    assert page.locator("table[data-filter] tbody tr:visible").count() == 1
    page.screenshot(path=str(SHOTS / "site-plan-filter-360.png"), full_page=False)
    page.close()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url + "plan.html")
    assert page.locator("table[data-filter] tbody tr:visible").count() == 30
    assert not page.locator("form.filter").is_visible()  # a filter that cannot work is not offered
    context.close()


def test_a_round_page_prints_without_the_menu(served, browser):
    url, _site = served
    page = browser.new_page()
    page.goto(url + "rounds/2567-1.html")
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible() and page.locator("main table").first.is_visible()
    assert len(page.pdf(format="A4")) > 10_000
    page.close()
