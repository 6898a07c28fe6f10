"""Reads for the site's own pages."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from .defaults import DEFAULT_PAGES
from .markdown import render_markdown
from .models import Page, PageSlug


@dataclass(frozen=True)
class PageText:
    slug: str
    title: str
    description: str
    html: SafeString
    updated_at: object = None  # None: the shipped default, never edited


def page_text(slug: PageSlug) -> PageText:
    """The page's text as operators last saved it, or the shipped default; HTML made safe.
    One query."""
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        default = DEFAULT_PAGES[slug]
        return PageText(slug, default.title, default.description, render_markdown(default.body))
    return PageText(slug, page.title, page.description, render_markdown(page.body), page.updated_at)
