"""How a message's plain text is shown: contact details masked, links made clickable.

Messages are stored exactly as typed; both functions here run when one is shown (page, API,
email), so masking follows the conversation's state at that moment and admins reading a
report see what was sent.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EMAIL_MASK = "[email hidden]"
PHONE_MASK = "[phone hidden]"

# http(s) links and bare www. addresses; ends before whitespace or a quote or bracket.
URL = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'`]+""")
EMAIL = re.compile(
    r"(?i)[a-z0-9._%+-]+\s*(?:@|\(at\)|\[at\])\s*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
)
# A run of at least 7 digits, optionally with +, spaces, dots, dashes and brackets between:
# +1 (415) 555-0123, 415.555.0123, 0612345678. Dates (2026-12-01) and prices have fewer.
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
# A date written with dashes or dots (2026-12-01, 01.12.2026) is not a phone number.
DATE = re.compile(r"\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4}")
TRAILING = ".,;:!?)]}"


def _phone_or_date(match) -> str:
    return match.group(0) if DATE.fullmatch(match.group(0)) else PHONE_MASK


def mask_contacts(text: str) -> str:
    """The text with every email address and phone number replaced by a placeholder."""
    text = EMAIL.sub(EMAIL_MASK, text)
    return PHONE.sub(_phone_or_date, text)


def _pieces(text: str):
    """(is_link, piece) in order: each link (trailing punctuation left out) and the rest."""
    position = 0
    for match in URL.finditer(text):
        link = match.group(0)
        while link and link[-1] in TRAILING:
            link = link[:-1]
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, link
        position = match.start() + len(link)
    if position < len(text):
        yield False, text[position:]


def shown_text(text: str, *, masked: bool) -> str:
    """The plain text a participant is shown (links kept whole, masking outside them)."""
    if not masked:
        return text
    return "".join(
        mask_contacts(piece) if not is_link else piece for is_link, piece in _pieces(text)
    )


def message_html(text: str, *, masked: bool) -> SafeString:
    """The text as safe HTML: everything escaped, http(s) links clickable (rel nofollow,
    noopener, ugc; no other scheme ever becomes a link), line breaks kept."""
    parts = []
    for is_link, piece in _pieces(text):
        if not is_link:
            parts.append(escape(mask_contacts(piece) if masked else piece))
            continue
        href = piece if piece.lower().startswith("http") else f"https://{piece}"
        parts.append(
            f'<a href="{escape(href)}" rel="nofollow noopener noreferrer ugc">{escape(piece)}</a>'
        )
    return mark_safe("".join(parts).replace("\r\n", "\n").replace("\n", "<br>"))
