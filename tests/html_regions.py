"""The outer HTML of one element of a page, found by its id, for comparing an HTMX fragment
with the same region of the full page."""

from html.parser import HTMLParser

# Elements that never have a closing tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Region(HTMLParser):
    def __init__(self, element_id):
        super().__init__(convert_charrefs=False)
        self.element_id = element_id
        self.depth = 0  # > 0 while inside the element
        self.start = self.end = None

    def handle_starttag(self, tag, attrs):
        if self.end is not None:
            return
        if self.depth == 0 and dict(attrs).get("id") == self.element_id:
            self.start = self._offset()
            self.depth = 1 if tag not in VOID else 0
            if tag in VOID:
                self.end = self._offset() + len(self.get_starttag_text())
        elif self.depth and tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self._offset() + len(f"</{tag}>")

    def _offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column


def region(html: str, element_id: str) -> str:
    """The element with `element_id` in `html`, from its start tag to its end tag, as sent."""
    parser = _Region(element_id)
    parser.line_starts = [0]
    for line in html.splitlines(keepends=True):
        parser.line_starts.append(parser.line_starts[-1] + len(line))
    parser.feed(html)
    parser.close()
    if parser.start is None or parser.end is None:
        raise AssertionError(f"no element with id {element_id!r} in the page")
    return html[parser.start : parser.end]
