"""`publish-site`: the organisation's public website as static files; `oit`: the ITA/OIT links to paste into NACC's
system."""

import sys
from pathlib import Path

from acplan.cli.common import org_plan, out, progress_bar
from acplan.errors import Issue, UnusableInput
from acplan.i18n import t


def publish(args, session, actor) -> str:
    from acplan.site import publish_site

    langs = tuple(x.strip() for x in args.lang_site.split(",") if x.strip())
    if not langs or any(x not in ("th", "en") for x in langs) or langs[0] != "th":
        raise UnusableInput(Issue("site_langs", {"value": args.lang_site}))
    org, _plan = org_plan(session, args.org)
    result = publish_site(session=session, org_code=org.code, out=Path(args.output), base_url=args.base_url,
                          langs=langs, oit_year=args.oit_year, progress=progress_bar(args.lang))
    sys.stderr.write("\n")
    return t("cli_site_done", args.lang, path=args.output, files=result.files, written=result.written,
             unchanged=result.unchanged, removed=result.removed, size=f"{result.total_bytes / 1e6:.1f}",
             seconds=f"{result.seconds:.1f}")


def oit_table(args, session, actor) -> str:
    from acplan.monitoring.evaluation import list_visible_rounds
    from acplan.monitoring.models import RoundStatus
    from acplan.site import oit
    from acplan.site.content import PUBLIC

    _org, plan_id = org_plan(session, args.org)
    published = {r.code for r in list_visible_rounds(session=session, actor=PUBLIC, plan_id=plan_id)
                 if r.status == RoundStatus.PUBLISHED}
    for item in oit.resolve(args.year, published):
        out("\t".join([item.code or "—", item.title_th, oit.absolute(args.base_url, item.path) or "—",
                       t("site_oit_ready" if item.ready else "site_oit_missing", args.lang)]))
    return ""
