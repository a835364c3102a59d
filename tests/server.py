"""Start the real app with `streamlit run` on a free port, for browser tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str], log_path: Path):
    """Yield the base URL of a running `streamlit run app.py`; stop it afterwards."""
    port = free_port()
    full_env = {**os.environ, "ACPLAN_EVIDENCE_DIR": str(log_path.parent / "evidence"), **env}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, proc)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_healthy(port: int, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


# True once the app has been idle (script not running, no element left stale by a rerun) for QUIET_MS on end:
# the same idea as Playwright's "networkidle", so a rerun that starts just after a click is waited for too.
QUIET_MS = 300
_SETTLED = """quiet => {
    const idle = document.querySelector("[data-test-script-state='notRunning']") !== null
        && document.querySelector("[data-stale='true']") === null;
    if (!idle) { window.__acplanIdleSince = undefined; return false; }
    window.__acplanIdleSince ??= performance.now();
    return performance.now() - window.__acplanIdleSince >= quiet;
}"""


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the Streamlit script has finished its run and the page has settled (no fixed sleep)."""
    page.evaluate("() => { window.__acplanIdleSince = undefined; }")
    page.wait_for_function(_SETTLED, arg=QUIET_MS, timeout=timeout_ms, polling=50)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the app's own form, as a person would."""
    page.goto(base_url + "/login")
    wait_idle(page)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    # A sign-in sends the browser through the session route and back (a new page load, a new Streamlit session):
    # wait for that load, or the next click could land on the page being replaced and be lost.
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
    wait_idle(page)
    _wait_for_session_cookie(page)


def _wait_for_session_cookie(page, timeout_s: float = 30) -> None:
    """The browser goes through the session route (`/acplan/session`) just after signing in, which sets the session
    cookie; a page opened by address (a bookmark, a second tab) before it has landed would not be signed in.
    Poll for it, as Playwright's own `expect` polls, until it is there."""
    from acplan.monitoring.websessions import COOKIE

    deadline = time.monotonic() + timeout_s
    while not any(c["name"] == COOKIE for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise TimeoutError("the session cookie never arrived after signing in")
        page.wait_for_timeout(100)  # a polling interval, not a wait the test relies on


def open_as(page, base_url: str, username: str, link: str) -> None:
    """Sign in as `username` (a test account's password is `<username>-password-1`) and open the page the top
    menu's `link` names, within the session as a person would (a reload would start a new one)."""
    sign_in(page, base_url, username, f"{username}-password-1")
    page.get_by_role("link", name=link).click()
    wait_idle(page)


def choose(page, box, option: str) -> None:
    """Pick `option` in a Streamlit select box as a person would: click it, and if that only focused it (a box
    drawn by the rerun just before can swallow the first click), open its list with the arrow key."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    target = page.get_by_role("option", name=option, exact=True)

    def type_it() -> None:  # the list may show only the options near the current one: typing filters it to this one
        box.click()
        box.fill(option)

    for opener in (box.click, lambda: box.press("ArrowDown"), box.click, type_it, type_it):
        opener()
        try:
            target.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    target.click()


def see(page, text: str, timeout_ms: int = 30_000) -> None:
    """Wait until `text` is visible: a rerun triggered by a click may start after the page last looked idle."""
    page.get_by_text(text).first.wait_for(state="visible", timeout=timeout_ms)


def edit_score(page, row: int, value: str) -> None:
    """Type `value` into the score column of the grid's `row` (1-based), moving there with the keyboard as a
    member would: the first row's name cell, down, then right to the score."""
    edit_cell(page, page.locator("[data-testid='stDataFrame']").first, row, 4, value, x=250)  # name -> … -> score


def edit_cell(page, grid, row: int, right: int, value: str, *, x: int = 20) -> None:
    """Type `value` into a data editor's cell as a person would with the keyboard: click the first visible row `x`
    pixels in, go to the first row, down to `row` (1-based), `right` cells to the right, Enter, type, Enter."""
    grid.click(position={"x": x, "y": 44 + 22})  # once the grid is visible and has stopped moving
    page.wait_for_function("document.activeElement?.closest(\"[data-testid='stDataFrame']\") != null")
    page.keyboard.press("Control+ArrowUp")  # the first row, wherever the grid was scrolled
    for _ in range(row - 1):
        page.keyboard.press("ArrowDown")
    for _ in range(right):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal input, #portal textarea").first
    editor.wait_for(state="visible", timeout=10_000)
    editor.fill(value)
    editor.press("Enter")


def clipboard_page(browser, width: int = 1280, height: int = 720):
    """A page in a context of its own that may read the clipboard (to read a grid as a person copies it);
    close it with `page.context.close()`."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  permissions=["clipboard-read", "clipboard-write"])
    return context.new_page()
