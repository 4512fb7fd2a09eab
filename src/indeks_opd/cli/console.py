"""The console the commands write to: Windows code pages that lack our symbols.

Windows writes redirected output in the ANSI code page (cp1252; ``PYTHONIOENCODING=cp1252``
shows the same here) and ``cmd.exe`` consoles may use cp437. Every command must say the same
there as on a UTF-8 terminal, with plain stand-ins for the symbols, never a traceback.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata

PLAIN_SYMBOLS = {"▼": "v", "▲": "^", "✓": "OK", "—": "-", "–": "-", "…": "...", "›": ">", "±": "+/-", "≥": ">=",
                 "≤": "<=", "→": "->", "•": "*", "×": "x", "“": '"', "”": '"', "‘": "'", "’": "'"}
"""Plain stand-ins for the symbols our messages use, on consoles whose code page lacks them."""


def _plain(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each character the console cannot show becomes its plain stand-in, a box-drawing
    line ``-``/``|``/``+``, its letter without accents, or ``?``."""
    out = []
    for ch in error.object[error.start:error.end]:
        name = unicodedata.name(ch, "")
        if ch in PLAIN_SYMBOLS:
            out.append(PLAIN_SYMBOLS[ch])
        elif name.startswith("BOX DRAWINGS"):
            out.append("-" if "HORIZONTAL" in name and "VERTICAL" not in name else
                       "|" if "VERTICAL" in name and "HORIZONTAL" not in name else "+")
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?")
    return "".join(out), error.end


codecs.register_error("indeks-opd-polos", _plain)


def plain_fallbacks_on_narrow_consoles() -> None:
    """stdout and stderr show what their code page cannot encode as plain text instead of failing.

    Windows writes redirected output in the ANSI code page (cp1252) and consoles may use cp437:
    without this, a "▼" or "—" ended the run with a UnicodeEncodeError traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            stream.reconfigure(errors="indeks-opd-polos")


def ascii_json() -> bool:
    """JSON on stdout escapes non-ASCII text when stdout encodes to a code page that is not UTF-8, so every
    character survives exactly (a text stream without an encoding holds any character)."""
    encoding = getattr(sys.stdout, "encoding", None)
    return encoding is not None and not encoding.lower().replace("-", "").startswith("utf")
