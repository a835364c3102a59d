"""The app's shared read cache, kept where no browser can reach it.

Streamlit's own caches (`st.cache_data`, `st.cache_resource`) are cleared for every user by a `clear_cache`
message that any client, anonymous ones included, may send over the websocket; a visitor could so make
every page slow for everyone. acplan's reads are cached here instead: per process, time-limited, bounded,
and cleared only by acplan itself after a write (`clear`). Callers get a deep copy, as with st.cache_data,
so a page that changes what it got cannot change what the next visitor sees.
"""

import copy
import functools
import logging
import threading
from collections.abc import Callable

from cachetools import TTLCache

TTL_S = 300
log = logging.getLogger(__name__)
_caches: list[TTLCache] = []
_lock = threading.RLock()


def shared(maxsize: int = 64, ttl_s: int = TTL_S, *, immutable: bool = False) -> Callable:
    """Decorator: cache a function's result per argument tuple (arguments must be hashable). `immutable`: the
    result cannot be changed by its callers (a tuple of frozen records), so it is handed out without a copy."""
    give = (lambda value: value) if immutable else copy.deepcopy
    def wrap(fn: Callable) -> Callable:
        store: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl_s)
        _caches.append(store)

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            with _lock:
                if key in store:
                    return give(store[key])
            value = fn(*args, **kwargs)
            log.info("computed %s", fn.__qualname__)
            with _lock:
                store[key] = value
            return give(value)
        cached.cache = store
        return cached
    return wrap


def clear() -> None:
    """Forget every cached read of this process (after a write)."""
    with _lock:
        for store in _caches:
            store.clear()


_specs: TTLCache = TTLCache(maxsize=256, ttl=TTL_S)
_caches.append(_specs)


def chart_spec(build: Callable[[], dict], *key) -> dict:
    """A chart's Vega-Lite spec, built once per `key` (Altair's building and schema validation cost a page tens of
    milliseconds a run). Streamlit takes the data out of a shallow copy of the spec it is given and changes nothing
    nested, so the cached spec is handed out as a shallow copy too."""
    with _lock:
        if key in _specs:
            return dict(_specs[key])
    spec = build()
    with _lock:
        _specs[key] = spec
    return dict(spec)


def frame_key(data) -> tuple:
    """A DataFrame's content as a cache key: its columns, types and a hash of every value."""
    import pandas as pd

    return (tuple(map(str, data.columns)), tuple(map(str, data.dtypes)), len(data),
            int(pd.util.hash_pandas_object(data, index=True).sum()))
