"""Operators' Markdown as safe HTML: Markdown first, then nh3 keeps only the tags a text
page needs (no scripts, styles, forms, frames, images or event attributes), so nothing an
admin types can run in a visitor's browser or break the CSP."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

# No h1: the page's title is its only h1.
ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    # nh3 has just removed everything not allowed.
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )
