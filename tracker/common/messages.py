"""Text that reaches a terminal: control characters escaped, so a file name cannot drive it.

A file called ``"\\x1b]0;owned\\x07.txt"`` would set the terminal's title if printed raw; it is
shown as ``\\x1b]0;owned\\x07.txt`` instead. Bidirectional overrides (U+202E…) are escaped too,
so a name cannot show its extension reversed.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep: str = "") -> str:
    """``text`` with C0/C1 control characters, DEL and bidi controls as ``\\xNN`` / ``\\uNNNN``."""
    return "".join(_escaped(ch) if ch not in keep and (unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS)
                   else ch for ch in text)


def one_line(message: str) -> str:
    """A message on one line: runs of spaces, tabs and newlines become one space, other controls escaped."""
    return escape_controls(re.sub(r"[ \t\r\n]+", " ", message).strip())
