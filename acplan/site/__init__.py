"""The organisation's public website as static files (`python -m acplan publish-site`), and the ITA/OIT map.

What is in it is read as the public reads it (`Actor.anonymous()`), through the same services as the public
Streamlit site: the plan, published rounds, public findings and public evidence of published rounds; no
member's name or score, no unpublished round, no account. Pages are written by `pages.py` from Jinja templates,
files by `output.py` (deterministic, with a manifest, rewriting only what changed); `oit.py` maps the ITA
assessment's OIT items to the pages that answer them.
"""

from acplan.site.build import BuildResult, publish_site

__all__ = ["BuildResult", "publish_site"]
