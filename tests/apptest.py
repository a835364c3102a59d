"""Helpers to run the real app under Streamlit's AppTest against a loaded SQLite store."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from acplan.ui import cache, state

TIMEOUT_S = 60
APP = Path(__file__).resolve().parent.parent / "app.py"


def clear_caches() -> None:
    """Forget the app's cached reads and Engines (a test switches stores)."""
    cache.clear()
    state.forget_engines()


def run_page(page: str | None = None, *, lang: str = "th", **params: str) -> AppTest:
    """Run app.py, optionally switch to `page` (e.g. "pages/projects.py"), with query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if lang != "th":
        at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """Every text the page shows in markdown, titles, captions, metrics and tables, joined."""
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.text,
                               *at.info, *at.warning, *at.error, *at.success)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    parts += [tb.value.to_string() for tb in at.table]
    return "\n".join(str(p) for p in parts)


def signed_in(username: str, page: str | None = None, **params: str) -> AppTest:
    """The app after signing in as `username` (a test account's password is `<username>-password-1`) through the
    sign-in page, then at `page` with query parameters."""
    at = run_page("pages/login.py")
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(f"{username}-password-1")
    next(b for b in at.button if b.label == "เข้าสู่ระบบ").click().run()
    assert "เข้าสู่ระบบแล้ว" in at.success[0].value
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
        at.run()
    return at
