"""docs/deploy.md's nginx recipe, started on loopback in front of two app processes on one PostgreSQL (#16): the
websocket upgrade and the session route pass through it, a person signs in and works through it, and clients are
spread over both processes (sticky: each stays on one)."""

import asyncio
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acplan.db import make_engine
from tests.conftest import need
from tests.factories import user
from tests.server import ROOT, see, sign_in, streamlit_server, wait_idle

pytestmark = pytest.mark.browser
RECIPE = ROOT / "docs" / "deploy.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recipe_config(ports: tuple[str, str], listen: int, folder: Path) -> str:
    """The recipe's nginx block, made to run here: the two app ports, a loopback port instead of 443 with TLS, files in
    `folder`; stickiness by the browser's User-Agent instead of its address (every test client is 127.0.0.1)."""
    block = re.search(r"```nginx\n(.*?)```", RECIPE.read_text(encoding="utf-8"), flags=re.S).group(1)
    block = block.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8502", f"127.0.0.1:{ports[1]}")
    block = re.sub(r"listen 443 ssl;.*\n", f"listen 127.0.0.1:{listen};\n", block)
    block = re.sub(r"ip_hash;.*\n", "hash $http_user_agent consistent;\n", block)
    block = block.replace("server {", "server {\n    access_log " + str(folder / "access.log") + " upstreams;", 1)
    return f"""
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder / 'body'};
    proxy_temp_path {folder / 'proxy'};
    fastcgi_temp_path {folder / 'fastcgi'};
    uwsgi_temp_path {folder / 'uwsgi'};
    scgi_temp_path {folder / 'scgi'};
    log_format upstreams '$http_user_agent $upstream_addr';
{block}
}}
"""


@contextmanager
def nginx_in_front(ports: tuple[str, str], folder: Path):
    """The recipe's nginx on loopback in front of the two app ports; yields its base URL."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        need("nginx is not installed; run: apt-get install -y nginx-light")
    listen = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(recipe_config(ports, listen, folder))
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {proc.stderr.read().decode()[-500:]}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{listen}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _store(pg_url: str) -> dict:
    """The loaded database at `pg_url` given a secretary; the servers' environment."""
    engine = make_engine(pg_url)
    from sqlmodel import Session
    with Session(engine) as s:
        user(s, "sec", "secretary")
        s.commit()
    engine.dispose()
    return {"ACPLAN_DATABASE_URL": pg_url, "ACPLAN_TODAY": "2026-11-27", "ACPLAN_CLIENT_IP_HEADER": "X-Real-IP"}


def test_the_nginx_recipe_carries_the_app_and_spreads_clients_over_two_processes(pg_loaded_url, browser, tmp_path):
    env = _store(pg_loaded_url)
    with streamlit_server(env, tmp_path / "a.log") as a, streamlit_server(env, tmp_path / "b.log") as b:
        ports = (a.rsplit(":", 1)[1], b.rsplit(":", 1)[1])
        with nginx_in_front(ports, tmp_path) as proxy:
            used = set()
            for n in range(12):  # clients with different browsers land on different processes, each on one only
                context = browser.new_context(user_agent=f"acplan-test-client-{n}")
                page = context.new_page()
                page.goto(proxy + "/")
                wait_idle(page)
                see(page, "เทศบาลตำบลเชียงม่วน")  # the page ran: its websocket went through the proxy
                context.close()
                lines = (tmp_path / "access.log").read_text().splitlines()
                mine = {line.split(" ")[-1] for line in lines if line.startswith(f"acplan-test-client-{n} ")}
                assert len(mine) == 1, mine  # sticky
                used |= mine
                if len(used) == 2:
                    break
            assert used == {f"127.0.0.1:{p}" for p in ports}

            page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            sign_in(page, proxy, "sec", "sec-password-1")  # through the session route, behind the proxy
            page.goto(proxy + "/rounds")
            wait_idle(page)
            expect(page.get_by_role("button", name="บันทึกผลรายปี")).to_be_visible()
            page.context.close()


def test_forty_viewers_at_once_through_the_proxy_are_all_served_by_both_processes(pg_loaded_url, tmp_path):
    """bench/ws_load.py's viewers (Streamlit's own websocket protocol) through the recipe: forty arrive at once, each
    loads the overview and changes a filter; every one is answered, by both processes (the figures are the bench's
    to report, not this test's)."""
    from bench.ws_load import PAGES, wave

    env = _store(pg_loaded_url)
    with streamlit_server(env, tmp_path / "a.log") as a, streamlit_server(env, tmp_path / "b.log") as b:
        ports = (a.rsplit(":", 1)[1], b.rsplit(":", 1)[1])
        with nginx_in_front(ports, tmp_path) as proxy:
            with ThreadPoolExecutor(1) as pool:  # a thread of its own: Playwright's loop may run in this one
                result = pool.submit(asyncio.run, wave(proxy, None, PAGES["overview"], 40, agent="acplan-load-{n}")).result()
        lines = (tmp_path / "access.log").read_text().splitlines()
    assert len(result["times"]["load"]) == len(result["times"]["filter"]) == 40
    streams = {line.split(" ")[-1] for line in lines if line.startswith("acplan-load-")}
    assert streams == {f"127.0.0.1:{p}" for p in ports}
