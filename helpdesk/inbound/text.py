"""The text of an inbound e-mail: HTML turned into plain text, quoted history cut off.

Both are deliberately small and predictable rather than clever. What a customer wrote is kept
whole whenever in doubt: cutting too little leaves some quoted lines in the conversation,
cutting too much would lose what they said.

HTML is never rendered or stored: :func:`html_to_text` walks it with the standard library's
``html.parser`` (no network, no entity tricks, no script execution) and keeps only the text,
dropping ``<script>``, ``<style>``, ``<head>`` and the like with their content. The result is
shown on the ticket page like any typed message: escaped by the template.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

#: Elements whose content is not text a reader sees.
_INVISIBLE: Final = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "svg", "math", "object"}
)
#: Elements that start and end a line of their own.
_BLOCKS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
#: Block elements that are lines of a list or table: no blank line between two of them.
_LINES: Final = frozenset({"li", "tr", "dt", "dd"})
#: Void elements: they have no end tag, so they never open an invisible or quoted region.
_VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._invisible_depth = 0
        self._quote_depth = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._invisible_depth += 1
            return
        if tag == "br":
            self._break()
        elif tag in _BLOCKS:
            self._break(paragraph=tag not in _LINES)
            if tag == "blockquote":
                self._quote_depth += 1
            elif tag == "pre":
                self._pre_depth += 1
            elif tag == "li":
                self._line.append("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._invisible_depth = max(self._invisible_depth - 1, 0)
            return
        if tag in _BLOCKS and tag not in _VOID:
            self._break(paragraph=tag not in _LINES)
            if tag == "blockquote":
                self._quote_depth = max(self._quote_depth - 1, 0)
            elif tag == "pre":
                self._pre_depth = max(self._pre_depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self._invisible_depth:
            return
        if self._pre_depth:
            first, *rest = data.split("\n")
            self._line.append(first)
            for line in rest:
                self._break(keep_blank=True)
                self._line.append(line)
            return
        text = re.sub(r"\s+", " ", data)
        if not self._line and not text.strip():
            return
        self._line.append(text)

    def _break(self, *, keep_blank: bool = False, paragraph: bool = True) -> None:
        """End the current line; an empty one marks a paragraph (one blank line at most)."""
        line = "".join(self._line)
        line = line if self._pre_depth else " ".join(line.split())
        self._line = []
        if not line and not keep_blank:
            if paragraph and self.lines and self.lines[-1] != "":
                self.lines.append("")
            return
        prefix = "> " * self._quote_depth
        self.lines.append(prefix + line)

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """The visible text of ``html``: paragraphs and line breaks kept, markup dropped.

    ``<blockquote>`` content is prefixed with ``> `` as a mail client quotes plain text, so
    :func:`trim_quoted` recognises an HTML reply's history too.
    """
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _tidy(extractor.text())


#: Lines that start the quoted history of a reply. Everything from such a line on is cut.
_QUOTE_HEADERS: Final = (
    # Gmail, Apple Mail, Thunderbird: "On Tue, 3 Dec 2024 at 10:00, Alice <a@example.com> wrote:"
    re.compile(r"^>?\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    # Outlook
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*_{20,}\s*$"),
)
#: Outlook's header block without a separator line: "From: ..." followed by "Sent: ...".
_OUTLOOK_FROM: Final = re.compile(r"^\s*\*?From:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_SENT: Final = re.compile(r"^\s*\*?(Sent|Date):\*?\s+\S", re.IGNORECASE)
#: A forwarded message: everything below it is content, never history to cut.
_FORWARDED: Final = re.compile(
    r"^\s*(-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:)\s*$", re.IGNORECASE
)
#: The signature delimiter of RFC 3676 ("-- " alone on a line).
_SIGNATURE: Final = "-- "


def trim_quoted(text: str) -> str:
    """``text`` without the quoted history and signature a reply carries below the answer.

    Cut from the first of: an "On ... wrote:" line (also folded over two lines, as Gmail
    does with long names), an Outlook "-----Original Message-----" or underscore rule, an
    Outlook "From:"/"Sent:" header block, a "-- " signature line. Then a trailing block of
    ">"-quoted lines is removed. Quotes in the middle (an answer interleaved with the lines
    it answers) stay: they are part of what was written. A forwarded message ("----------
    Forwarded message ---------") is content, not history, and is kept.
    """
    lines = text.splitlines()
    cut = len(lines)
    for number, line in enumerate(lines):
        if _FORWARDED.match(line):
            break
        joined = f"{line} {lines[number + 1]}" if number + 1 < len(lines) else line
        if any(pattern.match(line) for pattern in _QUOTE_HEADERS):
            cut = number
            break
        if (
            re.match(r"^>?\s*On\b", line, re.IGNORECASE)
            and not line.rstrip().endswith("wrote:")
            and _QUOTE_HEADERS[0].match(joined)
        ):
            cut = number
            break
        if (
            _OUTLOOK_FROM.match(line)
            and number + 1 < len(lines)
            and _OUTLOOK_SENT.match(lines[number + 1])
        ):
            cut = number
            break
        if line == _SIGNATURE or line == _SIGNATURE.strip():
            cut = number
            break
    kept = lines[:cut]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    return _tidy("\n".join(kept))


def _tidy(text: str) -> str:
    """Trailing spaces off each line, at most one blank line in a row, no blank ends."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return "\n".join(tidy)
