"""The red seal (印章) drawn over the issuer and date of a formal document."""

import math

from fpdf import FPDF

from .line_breaking import is_wide

SEAL_RED = (214, 24, 31)
SEAL_RADIUS = 19.0  # mm: a 38 mm round seal, the usual size for an administrative body
_RING_WIDTH = 1.0
_STAR = "★"
_MAX_ARC = 220.0  # degrees of the ring that the text may cover, centred on the top


def draw_seal(pdf: FPDF, *, center_x: float, center_y: float, text: str) -> None:
    """Draw a round red seal with a star in the middle and ``text`` set round the top.

    It is a picture of a seal, not an electronic signature: the QR code is what proves a
    document genuine. The multiply blend keeps the black text under it legible.
    """
    with pdf.local_context(
        draw_color=SEAL_RED,
        text_color=SEAL_RED,
        line_width=_RING_WIDTH,
        blend_mode="MULTIPLY",
    ):
        pdf.circle(x=center_x, y=center_y, radius=SEAL_RADIUS, style="D")
        _draw_centered_glyph(pdf, _STAR, center_x, center_y, size_mm=13.0)
        _draw_arc_text(pdf, text.strip(), center_x, center_y)


def _draw_arc_text(pdf: FPDF, text: str, center_x: float, center_y: float) -> None:
    if not text:
        return
    # A Latin letter takes about half the arc of a Chinese character.
    weights = [1.0 if is_wide(char) else 0.55 for char in text]
    step = min(30.0, _MAX_ARC / sum(weights))  # degrees per Chinese character
    text_radius = SEAL_RADIUS - _RING_WIDTH - 3.6
    size_mm = max(2.5, min(6.0, 0.85 * text_radius * math.radians(step)))
    # The glyph's centre sits on a circle slightly inside text_radius so that a large
    # glyph does not touch the ring.
    glyph_radius = text_radius - max(0.0, size_mm - 4.5) / 2
    angle = -step * sum(weights) / 2  # clockwise from twelve o'clock
    for char, weight in zip(text, weights, strict=True):
        middle = angle + step * weight / 2
        x = center_x + glyph_radius * math.sin(math.radians(middle))
        y = center_y - glyph_radius * math.cos(math.radians(middle))
        # fpdf2 turns counter-clockwise; the glyph's top must point away from the centre.
        with pdf.rotation(-middle, x, y):
            _draw_centered_glyph(pdf, char, x, y, size_mm=size_mm)
        angle += step * weight


def _draw_centered_glyph(pdf: FPDF, char: str, x: float, y: float, *, size_mm: float) -> None:
    pdf.set_font_size(size_mm * pdf.k)  # pdf.k points per mm
    width = pdf.get_string_width(char)
    # CJK glyphs sit in an em box whose optical centre is ~0.38 em above the baseline.
    pdf.text(x - width / 2, y + 0.38 * size_mm, char)
