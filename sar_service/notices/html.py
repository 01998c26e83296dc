"""Plain text from a saved web page (or pasted HTML) of a privacy notice.

Many schools publish the notice as a page on their website. Headings become
heading lines, list items and table rows become "- " items (a table's header
row its lead-in), paragraphs stay paragraphs; scripts, styles, navigation and
the page's header and footer are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "address", "ul", "ol", "dl",
          "table", "tbody", "thead", "br", "hr", "dd", "dt", "figure", "form"}  # fmt: skip
_HEADING = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "template", "svg", "head",
         "button", "select"}  # fmt: skip
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.rows: list[list[str]] = []
        self.header_row = False
        self.href: str | None = None

    def flush(self, prefix: str = "") -> None:
        text = " ".join("".join(self.line).split())
        self.line = []
        if text:
            self.out.append(prefix + text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += tag not in _VOID
            return
        if self.skip:
            return
        if tag == "a":
            self.href = dict(attrs).get("href")
        elif tag in _HEADING or tag in _BLOCK:
            self.flush()
            if tag in ("p", "div", "table", "ul", "ol") or tag in _HEADING:
                self.out.append("")
        elif tag == "li":
            self.flush()
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
            self.header_row = self.header_row or (tag == "th" and not self.rows)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag == "a":
            self.href = None
        elif tag in _HEADING:
            self.flush()
            self.out[-1:] = [self.out[-1].rstrip(":"), ""] if self.out else []
        elif tag == "li":
            self.flush("- ")
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.rows.append([c for c in self.row if c])
            self.row = None
        elif tag == "table":
            self.flush()
            self.out += _table(self.rows, self.header_row)
            self.rows, self.header_row = [], False
        elif tag in _BLOCK:
            self.flush()
            if tag in ("p", "div", "ul", "ol"):
                self.out.append("")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        target = self.cell if self.cell is not None else self.line
        target.append(data)
        url = self.href or ""
        if url.startswith(("http", "mailto:")) and url.removeprefix("mailto:") not in data:
            target.append(f" ({url.removeprefix('mailto:')})")
            self.href = None


def _table(rows: list[list[str]], header: bool) -> list[str]:
    if not rows:
        return []
    out = [""]
    if header and len(rows) > 1:
        out.append(" – ".join(rows[0]) + ":")
        rows = rows[1:]
    return out + ["- " + " – ".join(row) for row in rows] + [""]


def html_to_text(html: str) -> str:
    """The page's readable text in the reader's shape (headings alone, "- " items)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser.flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parser.out)).strip()


def looks_like_html(text: str) -> bool:
    """Pasted text that is really markup (someone copied the page source)."""
    head = text.lstrip()[:2000].lower()
    return (
        head.startswith(("<!doctype html", "<html"))
        or bool(re.search(r"<(?:p|h[1-6]|ul|li|div|table)\b[^>]*>", head))
        and head.count("<") > 5
    )
