"""Line breaking for mixed Chinese and Latin text (中文断行与避头尾).

fpdf2 breaks a line at its last space and only falls back to breaking between characters
when a line has no space at all, so one space early in a Chinese sentence ("申请编号 2025-01
的材料……") leaves that line half empty. Here a line may break between any two Chinese
characters and at spaces, never inside a Latin word unless the word is wider than the line,
and never before closing punctuation or after opening punctuation (行首行尾禁则).
"""

import unicodedata
from collections.abc import Callable

# After GB/T 15834 and the W3C "Requirements for Chinese Text Layout" (clreq).
NO_LINE_START = frozenset("，。、；：？！）】》」』〕〉〗”’…—～·%,.;:?!)]}")
NO_LINE_END = frozenset("（【《「『〔〈〖“‘([{")

Measure = Callable[[str], float]


def wrap_text(text: str, width: float, measure: Measure, *, indent: float = 0.0) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` as measured by ``measure``.

    Newlines in ``text`` start a new line. ``indent`` narrows the first line of the text
    (首行缩进). Spaces at a break are dropped; an empty text gives one empty line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure, first_width=width - indent))
    return lines


def _wrap_paragraph(text: str, width: float, measure: Measure, *, first_width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    pending_space = ""

    def room() -> float:
        return first_width if not lines else width

    for unit in _units(text):
        if unit.isspace():
            pending_space += unit
            continue
        candidate = line + pending_space + unit
        pending_space = ""
        if measure(candidate) <= room():
            line = candidate
            continue
        if line.strip():
            lines.append(line)
        # A unit wider than a whole line (a long URL, a number) is cut between characters.
        while measure(unit) > room():
            head = _longest_fitting_prefix(unit, room(), measure)
            lines.append(head)
            unit = unit[len(head) :]
        line = unit
    if line or not lines:
        lines.append(line)
    return lines


def _units(text: str) -> list[str]:
    """Cut ``text`` into pieces a line may break between: space runs and unbreakable units."""
    tokens: list[str] = []
    for char in text:
        previous = tokens[-1] if tokens else ""
        if char.isspace():
            if previous.isspace():
                tokens[-1] += char
            else:
                tokens.append(char)
        elif is_wide(char) or not previous or previous.isspace() or is_wide(previous[-1]):
            tokens.append(char)
        else:
            tokens[-1] += char
    units: list[str] = []
    for token in tokens:
        previous = units[-1] if units else ""
        glued = (
            previous
            and not previous.isspace()
            and not token.isspace()
            and (token[0] in NO_LINE_START or previous[-1] in NO_LINE_END)
        )
        if glued:
            units[-1] += token
        else:
            units.append(token)
    return units


def is_wide(char: str) -> bool:
    """Whether ``char`` is set on a full em, as Chinese characters and punctuation are."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _longest_fitting_prefix(unit: str, width: float, measure: Measure) -> str:
    for end in range(2, len(unit) + 1):
        if measure(unit[:end]) > width:
            return unit[: end - 1]
    return unit
