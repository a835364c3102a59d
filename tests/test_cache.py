"""The app's shared read cache (acplan/ui/cache.py)."""


def test_the_shared_cache_hands_out_copies_unless_the_result_is_immutable():
    from acplan.ui import cache

    calls = []

    @cache.shared()
    def frame(n: int) -> dict:
        calls.append(n)
        return {"rows": [n]}

    @cache.shared(immutable=True)
    def records(n: int) -> tuple:
        calls.append(n)
        return (n,)

    first = frame(1)
    first["rows"].append(99)  # a page changing what it got
    assert frame(1) == {"rows": [1]} and calls == [1]  # the next visitor sees the cached value, unchanged
    assert records(2) is records(2) and calls == [1, 2]  # immutable: computed once, handed out as is


def test_a_write_by_another_process_reaches_the_next_run(loaded_engine, monkeypatch):
    """The command line adds an organisation while the app has the list cached: the app's next run sees it."""
    from sqlmodel import Session

    from acplan.monitoring import orgs
    from acplan.ui import state
    from tests.apptest import clear_caches
    from tests.factories import OPERATOR

    monkeypatch.setenv("ACPLAN_DATABASE_URL", str(loaded_engine.url))
    clear_caches()
    try:
        state.notice_other_writes()
        assert [o.code for o in state.organisations()] == ["tt-chiang-muan"]
        with Session(loaded_engine) as s:  # another process's write, through the services (so audited)
            orgs.add_org(session=s, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
                {"name_th": "อบต.ตัวอย่าง", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง"}))
            s.commit()
        assert len(state.organisations()) == 1  # still the cached list …
        state.notice_other_writes()  # … until the next run looks at the audit chain's head
        assert len(state.organisations()) == 2
    finally:
        clear_caches()
