"""Diacritic folding, so that search ignores accents and case on every database.

Search compares a folded copy stored beside the text with the folded query, instead of
relying on database collations (SQLite has no accent-insensitive collation and
PostgreSQL's ``unaccent`` is an extension we cannot assume).
"""

from __future__ import annotations

import unicodedata

# đ/Đ is a letter of its own, not d plus a combining mark, so NFD leaves it alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics: "Đảng ủy" -> "dang uy"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
