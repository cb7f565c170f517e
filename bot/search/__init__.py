"""The one search engine of Relais (directory, workshop ideas, past questions). See `engine` for how it works.

Public API:
- `Document(key, fields, lat, lon, tags, title, group)` and `SearchIndex(documents, weights, synonyms=None)`;
  `SearchIndex.search(text, limit, offset, near, radius_km, distance_weight, tags_all, tags_any, predicate,
  match_fields)` returns `Hit(key, index, score, distance_km, matched)` (`matched`: the query's words each hit
  holds in `match_fields`); `SearchIndex.plan(text)` tells which words were understood.
- `PhraseMatcher(entries)` finds known phrases (commune names, filter words…) anywhere in a text, typos included.
- `Synonyms` / `default_synonyms()` (data file `synonyms.txt`), `Vocabulary` (typo-tolerant word lookup),
  `tokenize`, `haversine_km`.
"""

from bot.search.engine import Document, Hit, QueryPlan, SearchIndex
from bot.search.fuzzy import Vocabulary
from bot.search.geo import haversine_km
from bot.search.phrases import PhraseMatch, PhraseMatcher
from bot.search.synonyms import Synonyms, default_synonyms
from bot.search.text import STOPWORDS, content_tokens, tokenize

__all__ = [
    "STOPWORDS", "Document", "Hit", "PhraseMatch", "PhraseMatcher", "QueryPlan", "SearchIndex", "Synonyms",
    "Vocabulary", "content_tokens", "default_synonyms", "haversine_km", "tokenize",
]
