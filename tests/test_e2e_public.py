"""The public site in Chromium: read-only store, no sign-in, no write control, nothing unpublished, no names; XSS corpus."""

import hashlib
import stat

import pytest
from sqlmodel import Session

from acplan.db import make_engine
from acplan.monitoring import entries, findings, rounds, users
from tests.conftest import loaded_store
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id
from tests.server import ROOT, see, sign_in, streamlit_server, wait_idle

SHOTS = ROOT / "artifacts" / "screenshots"
PUBLIC_PAGES = ["/", "/projects", "/project?no=1", "/budget", "/risks", "/targets", "/results", "/findings",
                "/?present=1", "/rollup"]
PRIVATE_PAGES = ["/login", "/score", "/rounds"]
XSS = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', '<svg onload="window.__xss=3">',
       '[คลิกที่นี่](https://evil.example/steal)', 'javascript:window.__xss=4',
       '<a href="https://evil.example/">ลิงก์</a>', '**หนา** <b onmouseover="window.__xss=5">b</b>']
MEMBER_NAME = "สมชาย ทดสอบลับ"


def seed(url: str) -> None:  # `url`: a loaded store
    """A published round 2567-1 (public and internal findings, XSS payloads in every free-text field) and an open 2567-2."""
    engine = make_engine(url)
    with Session(engine) as s:
        member = users.add_user(session=s, actor=OPERATOR, username="somchai", display_name=MEMBER_NAME, role="committee",
                                password="somchai-password-1")
        sec = users.add_user(session=s, actor=OPERATOR, username="sec", display_name=XSS[1], role="secretary",
                             password="sec-password-123")
        users.add_user(session=s, actor=OPERATOR, username="council", display_name=XSS[3], role="council",
                       password="council-password-1")
        rnd = open_round(s, "2567-1")
        for n, payload in zip(range(1, 8), XSS, strict=True):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(score=4, comment=payload)), expected_version=None)
            findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({
                "text": payload, "severity": "medium", "project_id": project_id(s, n), "visibility": "public",
                "recommendation": payload, "responsible_unit": payload, "unit_response": payload}))
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": "ข้อค้นพบภายในห้ามเผยแพร่", "severity": "high",
                                                                   "project_id": project_id(s, 9)}))
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        open_round(s, "2567-2")
        s.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def public_site(tmp_path_factory, template_root):
    folder = tmp_path_factory.mktemp("public")
    db = folder / "acplan.db"
    seed(loaded_store(db, template_root))
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{db}", "ACPLAN_MODE": "public"}
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with streamlit_server(env, log) as url:
        yield url, db, before, folder
    folder.chmod(stat.S_IRWXU)


def no_script_ran(page) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload]').length") == 0
    hrefs = page.evaluate("[...document.querySelectorAll('[data-testid=\"stMain\"] a')].map(a => a.href)")
    assert not [h for h in hrefs if h.startswith("javascript:") or "evil.example" in h]


def test_public_site_shows_published_data_only_and_offers_no_writes(public_site, browser):
    url, db, before, folder = public_site
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in PUBLIC_PAGES:
        page.goto(url + path)
        wait_idle(page)
        html = page.content()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "เข้าสู่ระบบ" not in page.locator("header, [data-testid='stTopNavLinkContainer']").all_inner_texts().__str__()
        assert page.locator("[data-testid='stDataFrameGlideDataEditor'] [aria-readonly='false'], "
                            "[data-testid='stFileUploader'], [data-testid='stFormSubmitButton']").count() == 0
        assert MEMBER_NAME not in html and "somchai" not in html
        assert "2567-2" not in html and "ข้อค้นพบภายในห้ามเผยแพร่" not in html
        assert ">nan<" not in html and "nan\n" not in page.inner_text("body")
        no_script_ran(page)
        page.screenshot(path=str(SHOTS / f"public{path.replace('/', '_').replace('?', '-')}-1280x720.png"))
    page.goto(url + "/results")
    wait_idle(page)
    see(page, "2567-1")
    assert "คะแนนรายกรรมการ" not in page.content()
    for path in PRIVATE_PAGES:
        page.goto(url + path)
        wait_idle(page)
        see(page, "หน้านี้ไม่มีในเว็บไซต์สาธารณะ")
    assert dialogs == []
    page.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == ["acplan.db"]


def test_findings_with_payloads_render_as_text(public_site, browser):
    url, *_ = public_site
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url + "/findings")
    wait_idle(page)
    no_script_ran(page)
    page.close()


def test_internal_pages_render_payloads_as_text(tmp_path_factory, template_root, browser):
    """Signed in as council: member comments, names and findings with payloads appear as text only."""
    folder = tmp_path_factory.mktemp("internal")
    seed(loaded_store(folder / "acplan.db", template_root))
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{folder / 'acplan.db'}"}
    with streamlit_server(env, folder / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(page, url, "council", "council-password-1")
        see(page, "คลิกที่นี่")  # the name shows, as text
        no_script_ran(page)
        for name in ("ผลประเมิน", "ข้อค้นพบ"):
            page.get_by_role("link", name=name).click()
            wait_idle(page)
            no_script_ran(page)
        page.screenshot(path=str(SHOTS / "internal-findings-xss-1280x720.png"))
        assert dialogs == []
        page.close()


def test_an_unpublished_round_asked_for_in_the_url_is_said_so_not_swapped(public_site, browser):
    url, *_ = public_site
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(url + "/results?round=2567-2")
    wait_idle(page)
    see(page, "ไม่มีรอบ “2567-2” ที่คุณดูได้")
    assert "ผลประเมินภาพรวม" not in page.inner_text("[data-testid='stMain']")  # no other round in its place
    page.close()


def test_every_public_page_has_no_serious_or_critical_accessibility_violation(public_site, browser):
    """#15: axe-core on every page of the public Streamlit site, as on every page of the static website."""
    from axe_playwright_python.sync_playwright import Axe

    url, _db, _before, _folder = public_site
    axe, failed = Axe(), []
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    for path in PUBLIC_PAGES:
        page.goto(url + path)
        wait_idle(page)
        found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                 for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        if found:
            failed.append((path, found))
    page.close()
    assert not failed, failed
