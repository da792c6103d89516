"""Find the line of a TOML array-of-tables element or one of its keys.

tomllib gives values without positions, so errors about a parsed value locate it by
scanning the raw text: the n-th `[[name]]` header starts element n of array `name`,
and a key's line is the first `key =` inside that element's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-\"']+)\s*\]\]")


@dataclass(frozen=True, slots=True)
class LineIndex:
    lines: tuple[str, ...]
    # (1-based line, array name) of every [[name]] header, in file order.
    headers: tuple[tuple[int, str], ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        lines = tuple(text.splitlines())
        headers = tuple(
            (n, m.group(1).strip("\"'"))
            for n, line in enumerate(lines, start=1)
            if (m := _HEADER.match(line))
        )
        return cls(lines, headers)

    def element_span(self, array: str, index: int) -> tuple[int, int]:
        """First and last line (1-based, inclusive) of element `index` of `array`."""
        starts = [n for n, name in self.headers if name == array]
        if index >= len(starts):
            return (1, len(self.lines))
        start = starts[index]
        later = [n for n, _ in self.headers if n > start]
        end = (later[0] - 1) if later else len(self.lines)
        return (start, end)

    def line_of(self, array: str, index: int, key: str | None = None) -> int:
        """Line of `key` in element `index` of `array`, else the element's header line."""
        start, end = self.element_span(array, index)
        if key is None:
            return start
        own = re.compile(rf"^\s*{re.escape(key)}\s*=")
        inline = re.compile(rf"(?<![A-Za-z0-9_\-]){re.escape(key)}\s*=")
        subtable = re.compile(rf"^\s*\[\s*{re.escape(array)}\.{re.escape(key)}\s*\]")
        for pattern in (own, subtable, inline):
            for n in range(start, end + 1):
                text = self.lines[n - 1]
                if pattern.search(text) and not text.lstrip().startswith("#"):
                    return n
        return start

    def line_of_table(self, table: str) -> int | None:
        """Line of a `[table]` or `[[table]]` header, or of a top-level `table =` key."""
        pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(table)}\s*\]\]?|{re.escape(table)}\s*=)")
        for n, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return n
        return None


def toml_error_line(exc: ValueError) -> int:
    """The line tomllib's error names ("... (at line N, column M)"), else 1."""
    found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    return int(found.group(1)) if found else 1
