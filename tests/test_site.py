"""The static public website (#15): built from a store holding a published round (member scores, public and internal
findings, a unit's report with a public photo and an internal receipt, text that tries to be HTML) and an open round;
crawled as files: every link resolves inside the folder, nothing leaves the site, nothing internal is in it;
byte-identical rebuilds, only changed files rewritten, a reopened round's pages removed; the OIT links."""

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import entries, evidence, findings, rounds, unitreports, users
from acplan.monitoring.models import AppUser
from acplan.plan.models import PlanItem
from acplan.site import publish_site
from tests.conftest import loaded_store
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id, user
from tests.test_evidence import jpeg, pdf

MEMBER = "สมชาย ทดสอบลับ"
INTERNAL_FINDING = "ข้อค้นพบภายในห้ามเผยแพร่"
INTERNAL_COMMENT = "ความเห็นของกรรมการเป็นความลับ"
XSS = '<script>window.__xss=1</script><img src=x onerror="alert(1)">'
FORMULA = "=HYPERLINK(\"https://evil.example\",\"x\")"
ORG = "tt-chiang-muan"


def seed(engine) -> None:
    """Rounds, findings, reports and evidence in the loaded store `engine`."""
    with Session(engine) as s:
        pid = plan_id(s)
        member = users.add_user(session=s, actor=OPERATOR, username="somchai", display_name=MEMBER, role="committee",
                                password="somchai-password-1")
        sec = user(s, "sec", "secretary")
        unit_name = s.get(unitreports.Unit, s.get(PlanItem, project_id(s, 1)).unit_id).name_th
        user(s, "unit1", "unit")
        unitreports.set_units(session=s, actor=OPERATOR, username="unit1", plan_id=pid, unit_names=[unit_name])
        unit = as_actor(s.exec(select(AppUser).where(AppUser.username == "unit1")).one())
        rnd = open_round(s, "2567-1")
        report = unitreports.save_report(
            session=s, actor=unit, rnd=rnd, project_id=project_id(s, 1), expected_version=None,
            report_in=unitreports.parse_typed({"status": "completed", "progress_pct": "100", "spent_thb": "5000",
                                               "done_th": "จัดอบรม 2 ครั้ง " + XSS, "problems_th": FORMULA}, [], {}))
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report.id, name="อบรม.jpg",
                        raw=jpeg(gps=True), public=True)
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report.id, name="ใบเสร็จภายใน.pdf",
                        raw=pdf())
        unitreports.submit_reports(session=s, actor=unit, rnd=rnd)
        for n in (1, 2, 19):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(score=4, comment=INTERNAL_COMMENT)),
                               expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({
            "text": "ควรเผยแพร่รายงานจัดซื้อ " + XSS, "severity": "high", "project_id": project_id(s, 4),
            "visibility": "public", "recommendation": FORMULA, "responsible_unit": "กองคลัง"}))
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({
            "text": INTERNAL_FINDING, "severity": "low", "project_id": project_id(s, 5)}))
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code="2567-1", action=action)
        open_round(s, "2567-2")
        s.commit()


@pytest.fixture(scope="module")
def built(tmp_path_factory, template_root):
    """(engine, site folder, evidence folder, build result) — the store and its evidence stay for the module."""
    folder = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACPLAN_EVIDENCE_DIR", str(folder / "evidence-store"))
        from acplan import settings
        settings.get.cache_clear()
        engine = make_engine(loaded_store(folder / "acplan.db", template_root))
        seed(engine)
        with Session(engine) as s:
            result = publish_site(session=s, org_code=ORG, out=folder / "site")
        settings.get.cache_clear()
    yield engine, folder / "site", folder / "evidence-store", result
    engine.dispose()


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.lang, self.ids = [], None, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.refs.append((tag, a[key]))


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_links_only_to_files_in_the_site_and_nothing_outside(built):
    _e, site, _ev, result = built
    assert len(pages(site)) == 2 * (8 + 30 + 1)  # 8 pages, 30 items, 1 published round; Thai and English
    for page in pages(site):
        refs = Refs()
        refs.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site)
        assert refs.lang == ("en" if rel.parts[0] == "en" else "th"), rel
        for tag, ref in refs.refs:
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc, f"{rel}: {tag} {ref} leaves the site"
            target = urldefrag(ref)[0]
            if target:
                assert (page.parent / unquote(target)).resolve().is_file(), f"{rel}: {ref} does not resolve"
    css = (site / "assets" / "site.css").read_text()
    assert "http" not in css.replace("http://www.sitemaps", "") and "@import" not in css
    assert sorted(p.name for p in (site / "assets" / "fonts").iterdir())[:3] == [
        "OFL-Sarabun.txt", "Sarabun-Bold.ttf", "Sarabun-Regular.ttf"]
    assert result.rounds == 1 and result.written == result.files - 1  # a new folder: every file written


def test_only_published_public_data_is_in_the_site(built):
    _e, site, _ev, _r = built
    text = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml"))
    for secret in (MEMBER, "somchai", INTERNAL_FINDING, INTERNAL_COMMENT, "ใบเสร็จภายใน", "2567-2", "password",
                   "unit1", "argon2"):
        assert secret not in text, secret
    assert not (site / "rounds" / "2567-2.html").exists() and (site / "rounds" / "2567-1.html").is_file()
    pdfs = {p.name for p in (site / "rounds").glob("*.pdf")}
    assert pdfs == {"2567-1.pdf"}
    evidence_files = sorted(p.suffix for p in (site / "evidence").rglob("*") if p.is_file())
    assert evidence_files == [".jpg", ".jpg"]  # the public photo and its thumbnail; not the internal receipt
    item = (site / "items" / "1.html").read_text(encoding="utf-8")
    assert 'download="อบรม.jpg"' in item and "จัดอบรม 2 ครั้ง" in item


def test_text_a_person_typed_is_shown_as_text_never_as_markup(built):
    _e, site, _ev, _r = built
    for page in ("items/1.html", "findings.html", "rounds/2567-1.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "<script>window.__xss" not in html and "<img src=x" not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert len(re.findall(r"<script\b", "".join(p.read_text(encoding="utf-8") for p in pages(site)))) == 2
    # the plan page (Thai and English) loads the filter script; no other page runs any


def test_tables_download_as_csv_with_bom_and_json_and_no_cell_runs_as_a_formula(built):
    _e, site, _ev, _r = built
    raw = (site / "data" / "items.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["ลำดับที่", "ชื่อรายการ"] and len(rows) == 31
    data = json.loads((site / "data" / "items.json").read_text(encoding="utf-8"))
    assert data[18]["number"] == 19 and data[18]["budget_thb"] == 150000
    found = list(csv.reader(io.StringIO((site / "data" / "findings.csv").read_bytes().decode("utf-8-sig"))))
    assert found[1][4] == "'" + FORMULA  # the recommendation, made safe for a spreadsheet
    reports = list(csv.reader(io.StringIO(
        (site / "data" / "rounds" / "2567-1-unit-reports.csv").read_bytes().decode("utf-8-sig"))))
    assert reports[1][3] == "'" + FORMULA  # the unit's problems
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "<title>Anti-Corruption Action Plan to Raise Integrity and Transparency · Chiang Muan Subdistrict " \
           "Municipality</title>" in home  # the plan's and the organisation's English names where it has them
    english = list(csv.reader(io.StringIO((site / "en" / "data" / "items.csv").read_bytes().decode("utf-8-sig"))))
    assert english[0][:2] == ["No.", "Item"]


def test_the_same_store_gives_the_same_bytes_and_a_rebuild_writes_nothing(built, tmp_path, monkeypatch):
    engine, site, ev, _r = built
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(ev))
    with Session(engine) as s:
        again = publish_site(session=s, org_code=ORG, out=tmp_path / "again")
        same = publish_site(session=s, org_code=ORG, out=tmp_path / "again")
    first = json.loads((site / "manifest.json").read_text())
    second = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert first == second and (site / "manifest.json").read_bytes() == (tmp_path / "again" / "manifest.json").read_bytes()
    assert again.reports_rendered == 1 and (same.written, same.removed, same.reports_rendered) == (0, 0, 0)
    assert same.unchanged == again.files - 1
    assert first["data_version"].split(":")[0].isdigit()
    for path, digest in list(first["files"].items())[:50]:
        import hashlib
        assert hashlib.sha256((site / path).read_bytes()).hexdigest() == digest


def test_a_change_rewrites_only_what_it_touches_and_a_reopened_round_leaves_the_site(built, tmp_path, monkeypatch):
    engine, site, ev, _r = built
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(ev))
    out = tmp_path / "site"
    out.mkdir()  # a web folder that already holds the webmaster's own files, and another tool's manifest
    (out / "theirs.html").write_text("of the webmaster")
    (out / "manifest.json").write_text(json.dumps({"files": {"theirs.html": "x"}}))
    copy = tmp_path / "copy.db"  # this test changes the store: a copy of its own
    shutil.copyfile(engine.url.database, copy)
    engine = make_engine(f"sqlite:///{copy}")
    with Session(engine) as s:
        publish_site(session=s, org_code=ORG, out=out)
        pid = plan_id(s)
        from acplan.monitoring import yearly
        yearly.set_yearly_result(session=s, actor=OPERATOR, plan_id=pid,
                                 result_in=yearly.parse_yearly({"fiscal_year_be": 2567, "ita_score": 88.5}))
        s.commit()
        changed = publish_site(session=s, org_code=ORG, out=out)
        assert 0 < changed.written <= 12 and changed.reports_rendered == 1  # the targets pages, tables, chart, pack
        assert "88.5" in (out / "targets.html").read_text(encoding="utf-8")
        rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code="2567-1", action="reopen",
                          reason="แก้คะแนนที่บันทึกผิด")
        s.commit()
        gone = publish_site(session=s, org_code=ORG, out=out)
    assert gone.removed >= 4 and not (out / "rounds" / "2567-1.html").exists()
    assert not (out / "rounds" / "2567-1.pdf").exists() and not list((out / "evidence").rglob("*.jpg"))
    assert "2567-1" not in (out / "rounds.html").read_text(encoding="utf-8")
    assert (out / "theirs.html").read_text() == "of the webmaster"  # never named by a manifest of ours: kept
    engine.dispose()


def test_the_oit_page_and_command_link_each_item_to_what_answers_it(built, cli, monkeypatch):
    engine, site, ev, _r = built
    oit_page = (site / "oit.html").read_text(encoding="utf-8")
    assert "แผนปฏิบัติการป้องกันการทุจริต" in oit_page and 'href="plan.html"' in oit_page
    env = {"ACPLAN_DATABASE_URL": str(engine.url), "ACPLAN_EVIDENCE_DIR": str(ev)}
    code, out, err = cli("oit", "--year", "2567", env=env)
    assert code == 1 and "ITA-2567" in err  # no map for that year: said, with how to add it
    code, out, err = cli("oit", "--year", "2569", "--base-url", "https://www.example.go.th/acplan/", env=env)
    assert code == 0, err
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert lines[0][1:] == ["แผนปฏิบัติการป้องกันการทุจริต", "https://www.example.go.th/acplan/plan.html", "พร้อม"]
    assert lines[1][2:] == ["—", "ยังไม่มี"]  # the 6-month report of 2569 is not published


def test_publish_site_from_the_command_line_reports_what_it_wrote(built, cli, tmp_path):
    engine, _site, ev, _r = built
    env = {"ACPLAN_DATABASE_URL": str(engine.url), "ACPLAN_EVIDENCE_DIR": str(ev)}
    code, out, err = cli("publish-site", "-o", str(tmp_path / "s"), "--lang", "th", "--base-url",
                         "https://www.example.go.th/acplan", env=env)
    assert code == 0, err
    assert "เขียนใหม่" in out and "จัดทำรายงาน PDF" in err  # the progress bar on standard error
    assert not (tmp_path / "s" / "en").exists()
    sitemap = (tmp_path / "s" / "sitemap.xml").read_text()
    assert "<loc>https://www.example.go.th/acplan/items/19.html</loc>" in sitemap
    assert 'rel="canonical" href="https://www.example.go.th/acplan/plan.html"' in (tmp_path / "s" / "plan.html").read_text()
    code, out, err = cli("publish-site", "-o", str(tmp_path / "x"), "--lang", "en", env=env)
    assert code == 2 and "th" in err


def test_a_postgresql_store_gives_the_same_website(built, pg_loaded_url, tmp_path, monkeypatch):
    """The same rounds, findings, reports and evidence in PostgreSQL: every page, table and evidence file is the same
    byte for byte as from SQLite (the round packs print the audit chain's head, which differs by store)."""
    _e, site, _ev, _r = built
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    engine = make_engine(pg_loaded_url)
    try:
        seed(engine)
        with Session(engine) as s:
            result = publish_site(session=s, org_code=ORG, out=tmp_path / "pg-site")
    finally:
        engine.dispose()
    assert result.rounds == 1
    ours = json.loads((tmp_path / "pg-site" / "manifest.json").read_text())["files"]
    theirs = json.loads((site / "manifest.json").read_text())["files"]
    assert ours.keys() == theirs.keys()
    differ = sorted(p for p in ours if ours[p] != theirs[p])
    assert differ == ["rounds/2567-1.pdf", "rounds/2567-1.xlsx"], differ[:10]


def test_each_organisation_gets_its_own_website_and_nothing_of_the_other(built, tmp_path, monkeypatch, cli):
    from acplan.monitoring import orgs, plans
    from acplan.plan import workbook as plan_workbook
    from tests.test_plan_workbook import EXAMPLE

    engine, _site, ev, _r = built
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(ev))
    copy = tmp_path / "two.db"
    shutil.copyfile(engine.url.database, copy)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        with Session(engine) as s:
            org = orgs.add_org(session=s, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
                {"name_th": "อบต.ตัวอย่างทดสอบ", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง"}))
            plans.import_plan(session=s, actor=OPERATOR, org_code=org.code,
                              data=plan_workbook.read(EXAMPLE.read_bytes()).data, sha256="x")
            s.commit()
            b = publish_site(session=s, org_code="sao-example", out=tmp_path / "b")
            a = publish_site(session=s, org_code=ORG, out=tmp_path / "a")
    finally:
        engine.dispose()
    assert (b.rounds, a.rounds) == (0, 1)
    text_b = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "b").rglob("*.html"))
    assert "อบต.ตัวอย่างทดสอบ" in text_b
    assert "เชียงม่วน" not in text_b and "ควรเผยแพร่รายงานจัดซื้อ" not in text_b and "2567-1" not in text_b
    assert not (tmp_path / "b" / "evidence").exists() and not (tmp_path / "b" / "rounds").exists()
    text_a = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a").rglob("*.html"))
    assert "อบต.ตัวอย่างทดสอบ" not in text_a and "เทศบาลตำบลเชียงม่วน" in text_a
    code, _out, err = cli("publish-site", "-o", str(tmp_path / "which"), env={"ACPLAN_DATABASE_URL": f"sqlite:///{copy}"})
    assert code == 1 and "--org" in err  # two organisations: the command asks which
