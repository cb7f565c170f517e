"""The search indexes of the process, held in one place (`App.indexes`): the directory's, the workshop ideas' and
the resolved questions'. Each is kept between requests and rebuilt only when what it indexes changed (its
signature); a build never holds the lock, so searches on the index in service are never kept waiting by it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class IndexCache(Generic[T]):
    """One index per database (`key`), rebuilt by `build()` when `signature` differs from the one it was built for."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[Hashable, T]] = {}
        self._lock = threading.Lock()  # guards the dict only: never held while building

    def get(self, key: str, signature: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            found = self._items.get(key)
        if found is not None and found[0] == signature:
            return found[1]
        built = build()
        with self._lock:
            self._items[key] = (signature, built)
        return built

    def clear(self) -> None:
        """Forget every index (the database was replaced under them: tests, a restore)."""
        with self._lock:
            self._items.clear()


@dataclass
class SearchIndexes:
    ideas: IndexCache[Any] = field(default_factory=IndexCache)
    questions: IndexCache[Any] = field(default_factory=IndexCache)
    # One directory service per `Database` object (it follows that database's version row).
    directory: weakref.WeakKeyDictionary[Any, Any] = field(default_factory=weakref.WeakKeyDictionary)


INDEXES = SearchIndexes()  # the process's; `App.indexes` is this one
