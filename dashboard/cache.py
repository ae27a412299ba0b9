"""The dashboard's figures, cached (Redis in production) under a data version that every
committed write of plans, schemes, contracts or the ledger moves on: a figure is computed once
per version, filter and scope, and never served after the data behind it changed."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "dashboard:data-version"


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_on_commit(**kwargs) -> None:
    """Move the version on when the transaction commits: once, however many rows it writes
    (a bulk delete sends a signal per row; one Redis call each took longer than the delete).
    A bump already registered counts only if no savepoint it depends on can drop it without
    dropping this one too."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        for savepoints, callback, _robust in reversed(connection.run_on_commit):
            if callback is bump_data_version and savepoints <= current:
                return
    transaction.on_commit(bump_data_version)


def scope_key(visible) -> str:
    """What the user may see, as part of a key: the SQL of `visible` (compiled, not run), or
    "all" when it is None."""
    return "all" if visible is None else str(visible.query)


def cached(parts: tuple, build: Callable):
    """build(), cached under the data version and `parts` (which must say everything the value
    depends on besides the data: filters, scope, language, day)."""
    timeout = settings.DASHBOARD_CACHE_SECONDS
    if not timeout:
        return build()
    key = "dashboard:" + hashlib.sha256(repr((data_version(), *parts)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def memoized(selector: Callable, programme, visible, **options):
    """selector(programme, visible, **options), cached for the user's scope."""
    parts = (scope_key(visible), selector.__module__, selector.__qualname__, programme, options)
    return cached(parts, lambda: selector(programme, visible, **options))


def connect(models) -> None:
    for model in models:
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"dashboard-{model.__name__}")
        post_delete.connect(
            bump_on_commit, sender=model, dispatch_uid=f"dashboard-del-{model.__name__}"
        )
