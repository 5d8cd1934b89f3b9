"""PDF rendering of formal documents (正式文书) with an embedded subset Chinese font."""

import io
import math
from collections.abc import Sequence
from pathlib import Path

import segno
from fpdf import FPDF

from .formal_document import FormalDocument
from .line_breaking import is_wide, wrap_text
from .seal import SEAL_RADIUS, draw_seal

FONT_PATH = Path(__file__).parent / "fonts" / "NotoSansSC-Regular.ttf"
FONT_FAMILY = "NotoSansSC"
CREATOR = "service-center portal"

# A4 in millimetres. The side margins follow the national standard for official documents
# (GB/T 9704: 28 mm left, 26 mm right), rounded to a symmetric 25 mm.
MARGIN_X = 25.0
MARGIN_TOP = 20.0
MARGIN_BOTTOM = 22.0
FOOTER_Y = -16.0

Color = tuple[int, int, int]

BLACK = (0, 0, 0)
GREY = (100, 100, 100)
RULE_RED = (200, 16, 24)
WATERMARK_RED = (220, 40, 40)
SHADE = (242, 242, 242)

BODY_PT = 12.0
BODY_LINE = 7.2  # mm, 1.7 times the font size: Chinese text needs more leading than Latin
TABLE_PT = 11.0
TABLE_LINE = 5.8
CELL_PAD_X = 2.0
CELL_PAD_Y = 1.6
LABEL_WIDTH = 38.0
ITEM_NUMBER_WIDTH = 12.0
ITEM_NAME_SHARE = 0.38
QR_SIZE = 28.0
QR_CAPTION_PT = 8.5
QR_URL_PT = 6.5
QR_TEXT_WIDTH = QR_SIZE + 12
FOOTER_PT = 8.0
FOOTER_LINE = 4.0
FOOTER_MAX_LINES = 3
PAGE_NUMBER_WIDTH = 32.0


def render_pdf(doc: FormalDocument) -> bytes:
    """Render ``doc`` as an A4 PDF and return its bytes.

    The Noto Sans SC font is embedded as a subset with a ToUnicode map, so the document
    looks the same in any reader and its text can be searched and copied. The output
    depends only on ``doc``: the creation date is ``doc.issued_at``. Characters the font
    lacks (emoji, some rare characters) are left out, and fpdf2 logs a warning naming them.

    Raises ``ValueError`` if ``doc.footer`` needs more than three lines.
    """
    pdf = _DocumentPDF(doc)
    pdf.add_font(FONT_FAMILY, fname=str(FONT_PATH))
    pdf.set_margins(left=MARGIN_X, top=MARGIN_TOP, right=MARGIN_X)
    pdf.set_font(FONT_FAMILY, size=FOOTER_PT)
    if len(pdf.footer_lines()) > FOOTER_MAX_LINES:
        raise ValueError(f"the footer does not fit in {FOOTER_MAX_LINES} lines")
    pdf.set_font_size(BODY_PT)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    pdf.alias_nb_pages()
    pdf.set_title(doc.title)
    pdf.set_author(doc.issuer)
    pdf.set_subject(doc.number)
    pdf.set_creator(CREATOR)
    pdf.set_creation_date(doc.issued_at)
    pdf.set_lang("en" if doc.language == "en" else "zh-CN")
    pdf.set_display_mode(zoom="fullwidth")

    pdf.add_page()
    _draw_heading(pdf, doc)
    _draw_fields(pdf, doc.fields)
    _draw_paragraphs(pdf, doc.paragraphs)
    _draw_items(pdf, doc.items)
    _draw_paragraphs(pdf, doc.closing_paragraphs)
    _draw_closing(pdf, doc)
    return bytes(pdf.output())


class _DocumentPDF(FPDF):
    """FPDF with the page footer and the watermark of one formal document."""

    def __init__(self, doc: FormalDocument) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc

    def footer_lines(self) -> list[str]:
        """The footer text wrapped beside the page number, at the current font size."""
        return _wrap(self, self.doc.footer, self._footer_width()) if self.doc.footer else []

    def _footer_width(self) -> float:
        return self.epw - PAGE_NUMBER_WIDTH - 4

    def footer(self) -> None:
        if self.doc.watermark:
            _draw_watermark(self, self.doc.watermark)
        with self.local_context(text_color=GREY, draw_color=GREY, line_width=0.2):
            self.set_font_size(FOOTER_PT)
            top = self.h + FOOTER_Y
            self.line(self.l_margin, top - 1.5, self.w - self.r_margin, top - 1.5)
            if self.doc.language == "en":
                page = f"Page {self.page_no()} of {self.str_alias_nb_pages}"
            else:
                page = f"第 {self.page_no()} 页 共 {self.str_alias_nb_pages} 页"
            self.set_xy(self.w - self.r_margin - PAGE_NUMBER_WIDTH, top)
            self.cell(PAGE_NUMBER_WIDTH, FOOTER_LINE, page, align="R")
            for index, line in enumerate(self.footer_lines()):
                self.set_xy(self.l_margin, top + FOOTER_LINE * index)
                self.cell(self._footer_width(), FOOTER_LINE, line)


def _wrap(pdf: FPDF, text: str, width: float, *, indent: float = 0.0) -> list[str]:
    return wrap_text(text, width, pdf.get_string_width, indent=indent)


def _draw_heading(pdf: FPDF, doc: FormalDocument) -> None:
    with pdf.local_context(text_color=RULE_RED):
        _centered_bold(pdf, doc.issuer, size_pt=20, line=9.5)
    pdf.ln(1)
    pdf.set_font_size(11)
    for line in _wrap(pdf, doc.number, pdf.epw):
        pdf.cell(pdf.epw, 6, line, align="R", new_x="LMARGIN", new_y="NEXT")
    with pdf.local_context(draw_color=RULE_RED, line_width=0.6):
        y = pdf.get_y() + 1.5
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 7)
    _centered_bold(pdf, doc.title, size_pt=22, line=11)
    pdf.ln(5)


def _centered_bold(pdf: FPDF, text: str, *, size_pt: float, line: float) -> None:
    # The font has one weight: stroking the outline in the text colour thickens it.
    with pdf.local_context(text_mode="FILL_STROKE", line_width=0.25):
        pdf.set_draw_color(pdf.text_color)
        pdf.set_font_size(size_pt)
        for text_line in _wrap(pdf, text, pdf.epw):
            pdf.cell(pdf.epw, line, text_line, align="C", new_x="LMARGIN", new_y="NEXT")


def _draw_fields(pdf: FPDF, fields: Sequence[tuple[str, str]]) -> None:
    if not fields:
        return
    pdf.set_font_size(TABLE_PT)
    for label, value in fields:
        _draw_row(pdf, [(LABEL_WIDTH, label, True), (pdf.epw - LABEL_WIDTH, value, False)])
    pdf.ln(5)


def _draw_items(pdf: FPDF, items: Sequence[tuple[str, str]]) -> None:
    if not items:
        return
    pdf.set_font_size(TABLE_PT)
    name_width = round((pdf.epw - ITEM_NUMBER_WIDTH) * ITEM_NAME_SHARE, 1)
    reason_width = pdf.epw - ITEM_NUMBER_WIDTH - name_width
    for number, (name, reason) in enumerate(items, start=1):
        cells = [
            (ITEM_NUMBER_WIDTH, str(number), True),
            (name_width, name, False),
            (reason_width, reason, False),
        ]
        _draw_row(pdf, cells)
    pdf.ln(5)


def _draw_row(pdf: FPDF, cells: Sequence[tuple[float, str, bool]]) -> None:
    """Draw one bordered table row of (width, text, shaded) cells at the current position.

    A row taller than the room left on the page moves to the next page; one taller than a
    whole page is split across pages.
    """
    columns = [_wrap(pdf, text, width - 2 * CELL_PAD_X) for width, text, _ in cells]
    full_page = math.floor((pdf.page_break_trigger - pdf.t_margin - 2 * CELL_PAD_Y) / TABLE_LINE)
    while any(columns):
        needed = max(len(lines) for lines in columns)
        room = math.floor((pdf.page_break_trigger - pdf.get_y() - 2 * CELL_PAD_Y) / TABLE_LINE)
        # Move a row that would fit on a fresh page; split one that would not fit anyway.
        if room < 1 or room < needed <= full_page:
            pdf.add_page()
            continue
        count = min(needed, room)
        top = pdf.get_y()
        height = count * TABLE_LINE + 2 * CELL_PAD_Y
        x = pdf.l_margin
        with pdf.local_context(fill_color=SHADE, draw_color=GREY, line_width=0.2):
            for (width, _, shaded), lines in zip(cells, columns, strict=True):
                pdf.rect(x, top, width, height, style="DF" if shaded else "D")
                for index, line in enumerate(lines[:count]):
                    pdf.set_xy(x + CELL_PAD_X, top + CELL_PAD_Y + index * TABLE_LINE)
                    pdf.cell(width - 2 * CELL_PAD_X, TABLE_LINE, line)
                x += width
        columns = [lines[count:] for lines in columns]
        pdf.set_xy(pdf.l_margin, top + height)


def _draw_paragraphs(pdf: FPDF, paragraphs: Sequence[str]) -> None:
    pdf.set_font_size(BODY_PT)
    for paragraph in paragraphs:
        # Chinese paragraphs open with a two-character indent (首行缩进两字).
        indent = 2 * pdf.font_size if is_wide(paragraph.lstrip()[:1] or " ") else 0.0
        for index, line in enumerate(_wrap(pdf, paragraph, pdf.epw, indent=indent)):
            line_indent = indent if index == 0 else 0.0
            pdf.set_x(pdf.l_margin + line_indent)
            pdf.cell(pdf.epw - line_indent, BODY_LINE, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def _draw_closing(pdf: FPDF, doc: FormalDocument) -> None:
    """The issuer and date (落款) under the seal, and the QR code at the bottom right.

    The 落款 stands left of the QR code's column so that both fit in one band.
    """
    pdf.set_font_size(BODY_PT)
    block_height = 2 * SEAL_RADIUS + 4 if doc.stamp_text else 2 * BODY_LINE + 6
    qr_height = _qr_block_height(pdf, doc) if doc.verify_url else 0.0
    if pdf.get_y() + 6 + max(block_height, qr_height) > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y() + 6
    lines = [doc.issuer, doc.local_issue_date]
    width = max(pdf.get_string_width(line) for line in lines)
    if doc.stamp_text:
        width = max(width, 2 * SEAL_RADIUS)
    # 落款 stands about four characters in from the right margin, or clear of the QR code.
    right = pdf.w - pdf.r_margin - (QR_SIZE + 8 if doc.verify_url else 4 * pdf.font_size)
    left = max(pdf.l_margin, right - width)
    lines_top = top + block_height / 2 - BODY_LINE
    for index, line in enumerate(lines):
        pdf.set_xy(left, lines_top + index * BODY_LINE)
        pdf.cell(right - left, BODY_LINE, line, align="C")
    if doc.stamp_text:
        center_x, center_y = (left + right) / 2, top + block_height / 2
        draw_seal(pdf, center_x=center_x, center_y=center_y, text=doc.stamp_text)
    if doc.verify_url:
        _draw_qr(pdf, doc, top=pdf.page_break_trigger - qr_height)
    pdf.set_xy(pdf.l_margin, top + block_height)


def _qr_block_height(pdf: FPDF, doc: FormalDocument) -> float:
    return QR_SIZE + 1 + sum(len(lines) * height for lines, _, height, _ in _qr_texts(pdf, doc))


def _qr_texts(pdf: FPDF, doc: FormalDocument) -> list[tuple[list[str], float, float, Color]]:
    """The lines under the QR code: the caption, then the address for readers who cannot
    scan, each as (lines, font size in points, line height, colour)."""
    texts = []
    for text, size, height, color in (
        (doc.verify_caption, QR_CAPTION_PT, 4.0, BLACK),
        (doc.verify_url, QR_URL_PT, 3.0, GREY),
    ):
        if text:
            pdf.set_font_size(size)
            texts.append((_wrap(pdf, text, QR_TEXT_WIDTH), size, height, color))
    pdf.set_font_size(BODY_PT)
    return texts


def _draw_qr(pdf: FPDF, doc: FormalDocument, *, top: float) -> None:
    """QR code at the bottom right with its caption and the address under it."""
    left = pdf.w - pdf.r_margin - QR_SIZE
    pdf.image(_qr_png(doc.verify_url), x=left, y=top, w=QR_SIZE, h=QR_SIZE, link=doc.verify_url)
    # Centred under the code; the text may reach a few millimetres into the right margin.
    text_left = left + QR_SIZE / 2 - QR_TEXT_WIDTH / 2
    y = top + QR_SIZE + 1
    for lines, size, height, color in _qr_texts(pdf, doc):
        with pdf.local_context(text_color=color):
            pdf.set_font_size(size)
            for line in lines:
                pdf.set_xy(text_left, y)
                pdf.cell(QR_TEXT_WIDTH, height, line, align="C")
                y += height
    pdf.set_font_size(BODY_PT)


def _qr_png(url: str) -> io.BytesIO:
    """The verification address as a QR code PNG with the standard four-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def _draw_watermark(pdf: FPDF, text: str) -> None:
    """Light red text across the page, drawn over the content so it cannot be covered."""
    with pdf.local_context(text_color=WATERMARK_RED, fill_opacity=0.16):
        pdf.set_font_size(100)
        diagonal_room = 0.8 * math.hypot(pdf.w, pdf.h) - 2 * MARGIN_X
        pdf.set_font_size(min(90.0, 100 * diagonal_room / pdf.get_string_width(text)))
        center_x, center_y = pdf.w / 2, pdf.h / 2
        angle = math.degrees(math.atan2(pdf.h, pdf.w))
        with pdf.rotation(angle, center_x, center_y):
            width = pdf.get_string_width(text)
            pdf.text(center_x - width / 2, center_y + 0.38 * pdf.font_size, text)
