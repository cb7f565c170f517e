"""Compact UTF-8 JSON, fast: every /annuaire answer encodes a few kB and signs a dozen buttons.

orjson writes the same bytes as `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))` for plain
data (dicts with string keys, lists, strings, numbers, booleans, None), about fifteen times faster. Anything
else it is told to refuse (dataclasses, dates, subclasses such as enums, non-string keys, huge integers)
goes to the standard encoder, so such values behave exactly as they always did. (NaN and infinities, which
JSON cannot hold, become null instead of an invalid `NaN`.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_PLAIN_ONLY = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS


def dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, option=_PLAIN_ONLY)
    except TypeError:  # orjson.JSONEncodeError included
        return _STANDARD.encode(obj).encode()
