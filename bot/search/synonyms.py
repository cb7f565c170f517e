"""Abbreviations and synonyms, read from an editable data file (`synonyms.txt`), never hard-coded.

Each group maps every member phrase to one canonical token. Documents get the canonical token in
addition to their own words; queries have member phrases replaced by it. So "fs", "msap" and
"france services" all meet on the same token, and "st" meets "saint".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.search.text import tokenize

DEFAULT_FILE = Path(__file__).with_name("synonyms.txt")


@dataclass
class Synonyms:
    # member phrase (tuple of tokens) -> canonical token
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1
    first_words: set[str] = field(default_factory=set)  # a phrase can only start on one of these

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Synonyms:
        syn = cls()
        for raw in lines:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            members = [tuple(tokenize(m)) for m in line.split("|")]
            members = [m for m in members if m]
            if len(members) < 2:
                continue
            canonical = "".join(members[0])
            for m in members:
                syn.phrases.setdefault(m, canonical)
                syn.max_len = max(syn.max_len, len(m))
                syn.first_words.add(m[0])
        return syn

    @classmethod
    def load(cls, path: Path | str | None = None) -> Synonyms:
        return cls.from_lines(Path(path or DEFAULT_FILE).read_text(encoding="utf-8").splitlines())

    def words(self) -> set[str]:
        """Every word of every member phrase and canonical form ("caf", "allocations", "ameli"…)."""
        return {w for phrase in self.phrases for w in phrase} | set(self.phrases.values())

    def canonical_token(self, token: str) -> str:
        """Single-word canonicalisation ("st" -> "saint"), position-preserving (for phrase matching)."""
        return self.phrases.get((token,), token)

    def _scan(self, tokens: list[str]) -> Iterable[tuple[int, int, str]]:
        """Longest member phrase starting at each position, left to right, non-overlapping."""
        i, n = 0, len(tokens)
        while i < n:
            if tokens[i] not in self.first_words:
                i += 1
                continue
            for length in range(min(self.max_len, n - i), 0, -1):
                canon = self.phrases.get(tuple(tokens[i:i + length]))
                if canon is not None:
                    yield i, i + length, canon
                    i += length
                    break
            else:
                i += 1

    def expand_document(self, tokens: list[str]) -> list[str]:
        """The document's own tokens plus the canonical token of every member phrase found."""
        extra = [canon for _, _, canon in self._scan(tokens)]
        return tokens + [c for c in extra if c not in tokens]

    def rewrite_query(self, tokens: list[str]) -> list[list[str]]:
        """One slot per query concept: [canonical] for a phrase, [word, canonical] for a one-word member."""
        slots: list[list[str]] = []
        i = 0
        for start, end, canon in self._scan(tokens):
            slots.extend([t] for t in tokens[i:start])
            original = tokens[start:end]
            slots.append([canon] if len(original) > 1 or original[0] == canon else [original[0], canon])
            i = end
        slots.extend([t] for t in tokens[i:])
        return slots


def default_synonyms() -> Synonyms:
    """Read at every index build (a few hundred bytes), so an edited file takes effect on the next refresh."""
    return Synonyms.load()
