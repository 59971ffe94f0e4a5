"""A small flow layout for A4 PDF pages drawn with matplotlib: blocks of text and table
rows go top to bottom and a new page starts only when the next block does not fit, so
long notes wrap instead of being cut and no page is left half empty for nothing.

Widths are measured with the font itself (FreeType, as matplotlib draws it), not guessed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

A4_INCHES = (8.27, 11.69)
PAGE_POINTS = (A4_INCHES[0] * 72, A4_INCHES[1] * 72)
LEFT, RIGHT, TOP, BOTTOM = 0.07, 0.93, 0.955, 0.06  # figure fractions
LINE = 1.3  # line height, in font sizes
MISSING = "□"  # a character the font cannot draw (never a warning with the user's text)


def _font() -> FT2Font:
    """matplotlib's own cached font object, one per thread (reports render off the loop)."""
    return get_font(findfont(FontProperties(family="DejaVu Sans")))


@cache
def _drawable() -> frozenset[int]:
    return frozenset(_font().get_charmap())


def printable(text: str) -> str:
    """`text` with what the font cannot draw replaced, and "$" kept a dollar sign."""
    known = _drawable()
    return "".join(c if ord(c) in known or c in "\n\t" else MISSING for c in text)


def text_width(text: str, size: float) -> float:
    """The width of `text` at `size` points, in points (bold is a little wider: callers
    keep a margin)."""
    font = _font()
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return float(font.get_width_height()[0]) / 64


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy word wrap to `width` points; a word longer than a line is split."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size) > width:  # a very long word: cut it
                cut = max(1, int(len(word) * width / text_width(word, size)))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _line_and_pad(size: float) -> tuple[float, float]:
    """A line's height and a table cell's padding at `size` points, as page fractions."""
    return LINE * size / PAGE_POINTS[1], 0.35 * size / PAGE_POINTS[1]


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # fraction of the text width


@dataclass
class Flow:
    """Pages being filled; `footer` gets {page} and {pages} when the document is done."""

    footer: str
    pages: list[Figure] = field(default_factory=list)
    y: float = BOTTOM  # an empty flow has no room: the first block opens page 1

    def _room(self, height: float) -> Figure:
        if not self.pages or self.y - height < BOTTOM:
            self.pages.append(Figure(figsize=A4_INCHES))
            self.y = TOP
        return self.pages[-1]

    def space(self, points: float) -> None:
        self.y -= points / PAGE_POINTS[1]

    def text(
        self,
        text: str,
        size: float = 10,
        *,
        bold: bool = False,
        italic: bool = False,
        indent: float = 0.0,
        keep_with_next: float = 0.0,
        keep_together: bool = False,
    ) -> None:
        """A wrapped paragraph; a heading passes `keep_with_next` (points) so it never
        ends a page alone, a note `keep_together` so it is not split over two pages."""
        width = (RIGHT - LEFT - indent) * PAGE_POINTS[0] * (0.95 if bold else 1.0)
        line_height, _ = _line_and_pad(size)
        lines = wrap(printable(text), size, width)
        if keep_together and len(lines) * line_height < TOP - BOTTOM:
            self._room(len(lines) * line_height)
        for i, line in enumerate(lines):
            extra = keep_with_next / PAGE_POINTS[1] if i == 0 else 0.0
            page = self._room(line_height + extra)
            page.text(
                LEFT + indent,
                self.y,
                line,
                fontsize=size,
                weight="bold" if bold else "normal",
                style="italic" if italic else "normal",
                va="top",
                parse_math=False,
            )
            self.y -= line_height

    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float = 8
    ) -> None:
        """Rows whose cells wrap; the header row is repeated on every page the table spans."""
        widths = [c.width * (RIGHT - LEFT) for c in columns]
        line_height, pad = _line_and_pad(size)

        def cells(row: Sequence[str], bold: bool = False) -> list[list[str]]:
            room = 0.9 if bold else 1.0  # bold letters are wider than the measured ones
            return [
                wrap(printable(value), size, room * width * PAGE_POINTS[0] - 4)
                for value, width in zip(row, widths, strict=True)
            ]

        def height(row: list[list[str]]) -> float:
            return max(map(len, row)) * line_height + 2 * pad

        header = cells([c.title for c in columns], bold=True)
        for i, row in enumerate(cells(r) for r in rows):
            if i == 0 or self.y - height(row) < BOTTOM:
                self._room(height(header) + height(row))
                self._row(header, widths, size, bold=True)
            self._row(row, widths, size)

    def _row(
        self, row: list[list[str]], widths: list[float], size: float, *, bold: bool = False
    ) -> None:
        page, x = self.pages[-1], LEFT
        line_height, pad = _line_and_pad(size)
        for lines, width in zip(row, widths, strict=True):
            for n, line in enumerate(lines):
                page.text(
                    x + 0.004,
                    self.y - pad - n * line_height,
                    line,
                    fontsize=size,
                    weight="bold" if bold else "normal",
                    va="top",
                    parse_math=False,
                )
            x += width
        self.y -= max(map(len, row)) * line_height + 2 * pad
        rule = Line2D([LEFT, RIGHT], [self.y, self.y], linewidth=0.6 if bold else 0.3)
        rule.set_color("#555555" if bold else "#bbbbbb")
        page.add_artist(rule)

    def axes(self, height: float) -> Axes:
        """A chart panel `height` high (a fraction of the page), with room for its title
        above and its legend below."""
        page = self._room(height)
        panel = page.add_axes(
            (LEFT + 0.05, self.y - height + 0.05, RIGHT - LEFT - 0.05, height - 0.08)
        )
        self.y -= height
        return panel

    def pdf(self, title: str, language: str) -> bytes:
        """The pages with their footers, and the document's title and language."""
        buffer = io.BytesIO()
        with PdfPages(buffer, metadata={"Title": title, "Creator": "spasmbot"}) as document:
            for number, page in enumerate(self.pages, start=1):
                footer = self.footer.format(page=number, pages=len(self.pages))
                page.text(LEFT, 0.025, printable(footer), fontsize=7, style="italic")
                document.savefig(page)
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
