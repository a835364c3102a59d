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
