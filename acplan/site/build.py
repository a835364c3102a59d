"""`publish_site`: read the organisation's public content, render every page in each language, the round reports,
the tables' CSV/JSON, the public evidence, the OIT page and the sitemap, and write what changed."""

import json
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlmodel import Session

from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import evidence, orgs
from acplan.site import content as site_content
from acplan.site import oit, output, pages
from acplan.site.blocks import FONTS, Block, Link, Table

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
LANGS = ("th", "en")
TEXT_KEYS = ("skip", "nav", "download", "chart_table", "filter_dimension", "filter_unit", "filter_text", "all",
             "filter_count", "oit")  # the template's own words (`site_text_…`)


@dataclass
class BuildResult:
    files: int
    written: int
    unchanged: int
    removed: int
    total_bytes: int
    seconds: float
    data_version: str
    rounds: int
    reports_rendered: int


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=False)
    env.tests["link"] = lambda value: isinstance(value, Link)
    return env


def publish_site(*, session: Session, org_code: str, out: Path, base_url: str | None = None,
                 langs: tuple[str, ...] = LANGS, oit_year: int | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Write the organisation's public website into `out`; `progress(step, done, total)` is told as it goes."""
    started = time.perf_counter()
    tell = progress or (lambda step, done, total: None)
    org = orgs.get_org(session=session, code=org_code)
    plan = orgs.plan_of(session=session, org=org)
    if plan is None:
        raise InvalidInput(Issue("no_plan_loaded"))
    data = site_content.read(session, org, plan.id, progress=lambda i, n: tell("site_step_read", i, n))
    files: dict[str, bytes] = {}
    sources: dict[str, str] = {}
    rendered = _round_reports(session, plan.id, data, out, files, sources, tell)
    _evidence(session, data, files)
    _assets(files)
    year = oit_year or max(oit.years(), default=None)
    oit_items = oit.resolve(year, {r.code for r in data.rounds}) if year else []
    env = _env()
    locations = []
    for i, lang in enumerate(langs):
        built = pages.build(data, lang) + [_oit_page(oit_items, year, base_url, lang)]
        for page in built:
            files[_prefix(lang) + page.path] = _render(env, page, data, lang, langs, base_url).encode("utf-8")
            locations.append(_prefix(lang) + page.path)
            for table in _tables(page):
                files[f"{_prefix(lang)}data/{table.name}.csv"] = table.csv()
                files[f"{_prefix(lang)}data/{table.name}.json"] = table.json()
        tell("site_step_pages", i + 1, len(langs))
    files["sitemap.xml"] = _sitemap(sorted(locations), base_url)
    tell("site_step_write", 0, 1)
    result = output.write(out, files, data_version=data.data_version, sources=sources)
    tell("site_step_write", 1, 1)
    return BuildResult(len(result.files) + 1, result.written, result.unchanged, result.removed, result.total_bytes,
                       time.perf_counter() - started, data.data_version, len(data.rounds), rendered)


def _prefix(lang: str) -> str:
    return "" if lang == "th" else f"{lang}/"


def _tables(page) -> list[Table]:
    out = []
    for block in page.blocks:
        if block.kind == "table":
            out.append(block.value)
        elif block.kind == "chart":
            out.append(block.value.table)
    return out


def _render(env: Environment, page, data, lang: str, langs, base_url: str | None) -> str:
    depth = page.path.count("/")
    home = "../" * depth
    site = home + ("" if lang == "th" else "../")
    other = next((x for x in langs if x != lang), None)
    other_href = (site + _prefix(other) + page.path) if other else None
    text = {k: t(f"site_text_{k}", lang) for k in TEXT_KEYS}
    text["other_lang"] = t("site_text_other_lang", lang)
    text["footer"] = t("site_text_footer", lang, org=pages.org_name(data, lang))  # no version or date: a page changes
    # only when what it shows does
    return env.get_template("page.html").render(
        page=page, lang=lang, home=home, site=site, org=pages.org_name(data, lang), nav=pages.nav_links(lang),
        current=page.nav + ".html", other_href=other_href, other_lang=other or lang, text=text,
        canonical=oit.absolute(base_url, _prefix(lang) + page.path) if base_url else None,
        has_filter=any(b.kind == "filter" for b in page.blocks))


def _fingerprint(report) -> str:
    values = {k: (v.to_dict("split") if isinstance(v, pd.DataFrame) else v) for k, v in vars(report).items()}
    return output.sha256(json.dumps(values, sort_keys=True, default=str).encode())  # some dicts' key order varies


def _round_reports(session, plan_id: int, data, out: Path, files, sources, tell) -> int:
    """Each published round's public PDF and workbook; one whose figures did not change since the last build is
    taken from that build instead of being typeset again (the PDF is most of a build's time)."""
    before = output.previous(out)
    todo = []
    for r in data.rounds:
        key = _fingerprint(r.report)
        names = (f"rounds/{r.code}.pdf", f"rounds/{r.code}.xlsx")
        sources[names[0]] = key
        kept = [out / n for n in names]
        if before.get("sources", {}).get(names[0]) == key and all(p.is_file() for p in kept) and all(
                output.sha256(p.read_bytes()) == before.get("files", {}).get(n) for p, n in zip(kept, names, strict=True)):
            files[names[0]], files[names[1]] = (p.read_bytes() for p in kept)
        else:
            todo.append((r.code, r.published_on))
    url = session.get_bind().url.render_as_string(hide_password=False)
    done = 0
    if len(todo) > 1:  # typeset on every core: a PDF takes seconds
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(len(todo), multiprocessing.cpu_count()), mp_context=ctx) as pool:
            for code, (pdf, xlsx) in zip([c for c, _ in todo], pool.map(
                    _reports, *zip(*[(url, plan_id, c, d) for c, d in todo], strict=True)), strict=True):
                files[f"rounds/{code}.pdf"], files[f"rounds/{code}.xlsx"] = pdf, xlsx
                done += 1
                tell("site_step_reports", done, len(todo))
    if len(todo) == 1:  # one round: no pool to start
        (code, day), = todo
        files[f"rounds/{code}.pdf"], files[f"rounds/{code}.xlsx"] = _reports(url, plan_id, code, day)
        tell("site_step_reports", 1, 1)
    return len(todo)


def _reports(url: str, plan_id: int, code: str, day: date) -> tuple[bytes, bytes]:
    """A round's public PDF and workbook (in a worker process: its own connection)."""
    from acplan.db import make_engine
    from acplan.reporting import build_report

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            made = [build_report(session=session, actor=site_content.PUBLIC, plan_id=plan_id, code=code,
                                 internal=False, fmt=f, today=day) for f in ("pdf", "xlsx")]
    finally:
        engine.dispose()
    return made[0], output.stable_zip(made[1], day)


def _evidence(session: Session, data, files) -> None:
    for f in data.files:
        raw, _name, _type = evidence.read(session=session, actor=site_content.PUBLIC, evidence_id=f.id)
        files[output.evidence_path(f)] = raw
        if f.thumbnail_sha256:
            thumb, _n, _t = evidence.read(session=session, actor=site_content.PUBLIC, evidence_id=f.id, thumbnail=True)
            files[output.thumb_path(f)] = thumb


def _assets(files) -> None:
    for name in ("site.css", "filter.js"):
        files[f"assets/{name}"] = (ASSETS / name).read_bytes()
    for font in sorted(FONTS.iterdir()):
        files[f"assets/fonts/{font.name}"] = font.read_bytes()


def _oit_page(items: list[oit.OitItem], year: int | None, base_url: str | None, lang: str) -> pages.Page:
    page = pages.Page("oit.html", t("site_oit_title", lang, year=year or "—"), nav="oit")
    table = Table("oit", t("site_oit_title", lang, year=year or "—"),
                  [t("site_oit_code", lang), t("site_oit_item", lang), t("site_oit_answer", lang),
                   t("site_oit_state", lang)], ["code", "title_th", "url", "ready"])
    for item in items:
        table.add([item.code or None, item.title_th, oit.absolute(base_url, item.path) or None, item.ready],
                  [item.code or "—", item.title_th,
                   Link(t("site_oit_open", lang), item.path)
                   if item.path else "—", t("site_oit_ready" if item.ready else "site_oit_missing", lang)])
    page.blocks += [Block("p", t("site_oit_intro", lang)), Block("table", table)]
    return page


def _sitemap(locations: list[str], base_url: str | None) -> bytes:
    urls = "".join(f"<url><loc>{xml_escape(oit.absolute(base_url, p))}</loc></url>\n" for p in locations)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + urls + "</urlset>\n").encode("utf-8")
