"""Turning free text into the words search works with, the same way for listings and queries."""

import re

_WORD = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


def words(text: str) -> list[str]:
    """Lower-cased words of three letters or more, in order, without repeats."""
    seen = dict.fromkeys(match.group(0).lower() for match in _WORD.finditer(text or ""))
    return list(seen)


def query_words(text: str) -> list[str]:
    return words((text or "")[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]


def prefix_tsquery(query_words: list[str]) -> str:
    """A raw tsquery matching every word as a prefix ("plumb" finds "plumbing")."""
    return " & ".join(f"{word}:*" for word in query_words)
