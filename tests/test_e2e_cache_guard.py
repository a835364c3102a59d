"""A client's `clear_cache` message — which Streamlit honours from any client, anonymous ones included — does not
clear acplan's cached reads: spoken over the real websocket protocol to a running app, as an attacker would."""

from websockets.sync.client import connect

from tests.conftest import loaded_store
from tests.server import streamlit_server


def _run_script(ws) -> None:
    """Ask the server to run the app (as a browser does on load) and wait until the run has finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = ""
    ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(ws.recv(timeout=60))
        if forward.WhichOneof("type") == "script_finished":
            return


def test_a_clients_clear_cache_message_leaves_the_apps_cached_reads_alone(tmp_path, template_root):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    url = loaded_store(tmp_path / "acplan.db", template_root)
    log = tmp_path / "streamlit.log"
    env = {"ACPLAN_DATABASE_URL": url, "ACPLAN_LOG_LEVEL": "info"}
    with streamlit_server(env, log) as base:
        with connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"]) as ws:
            _run_script(ws)
            computed_once = log.read_text().count("computed plan_bundle")
            clear = BackMsg()
            clear.clear_cache = True
            ws.send(clear.SerializeToString())
            _run_script(ws)  # processed after the clear_cache message, in order
        computed_after = log.read_text().count("computed plan_bundle")
    assert computed_once == 1
    assert computed_after == 1  # nothing was computed again: the client could not clear it
