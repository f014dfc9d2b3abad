"""JSON parsing that remembers where every object and key came from.

Import files are written by people migrating their archives; an error must
point at a line they can open in an editor. ``loads`` returns ordinary dicts
and lists, except that every object is a ``JsonObject`` carrying the line of
its opening brace and of each key's value. Duplicate keys are an error
(``json`` would silently keep the last).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re


class JsonObject(dict):
    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """Line of the value under ``key``, or of the object itself."""
        return self.key_lines.get(key, self.line)


def loads(text: str):
    """Parse ``text``; raises json.JSONDecodeError (with lineno, colno) on bad syntax."""
    newlines = [match.start() for match in re.finditer("\n", text)]

    def line_at(position: int) -> int:
        return bisect.bisect_left(newlines, position) + 1

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        string, start = s_and_end
        positions: list[int] = []

        def scan_value(s, index):
            positions.append(index)
            return scan_once(s, index)

        pairs, end = json.decoder.JSONObject(
            s_and_end, strict, scan_value, None, list, memo if memo is not None else {}
        )
        obj = JsonObject()
        obj.line = line_at(start - 1)
        for (key, value), position in zip(pairs, positions, strict=True):
            if key in obj:
                raise json.JSONDecodeError(f"Duplicate key {key!r}", string, position)
            obj[key] = value
            obj.key_lines[key] = line_at(position)
        return obj, end

    decoder = json.JSONDecoder()
    decoder.parse_object = parse_object
    # The C scanner ignores parse_object; the pure-Python one calls it.
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder.decode(text)
