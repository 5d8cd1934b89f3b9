"""The content of a formal document (正式文书), independent of how it is drawn."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class FormalDocument:
    """A formal document: acceptance receipt (受理通知书), one-time correction notice
    (一次性告知书), refusal (不予受理决定书), decision (决定书) or certificate (证书).

    The renderer adds no wording of its own beyond the date and the page numbers, so the
    caller decides every sentence, in Chinese or English.

    Sequences are stored as tuples, so a document cannot change after it is built.
    """

    title: str
    """Large centred heading, e.g. "受理通知书"."""
    issuer: str
    """The issuing body, e.g. "某市政务服务中心": printed in red at the top and again above
    the date at the end (落款)."""
    number: str
    """The document number as printed, e.g. "某政服受字〔2025〕第0001号"."""
    issued_at: datetime
    """Aware; its date is printed in ``time_zone`` and it is the PDF's creation date."""
    fields: Sequence[tuple[str, str]]
    """Label/value rows shown as a table (applicant, item, application number, deadline…)."""
    paragraphs: Sequence[str]
    """Body text after the table; a Chinese paragraph gets a two-character first-line indent."""
    items: Sequence[tuple[str, str]] = ()
    """Optional numbered list of (name, explanation), e.g. the materials a one-time
    correction notice asks for and what is wrong with each."""
    closing_paragraphs: Sequence[str] = ()
    """Body text after the numbered list, e.g. the time limit and the means of redress."""
    verify_url: str = ""
    """Public verification address, drawn as a QR code at the bottom right and printed in
    full beside it for readers who cannot scan."""
    verify_caption: str = ""
    """Printed under the QR code, e.g. "扫码核验本文书真伪"."""
    footer: str = ""
    """Small text at the foot of every page, beside the page number: at most three lines
    (about 130 Chinese characters)."""
    stamp_text: str = ""
    """Text set round a red seal over the issuer and date, e.g. "某市政务服务中心"."""
    watermark: str = ""
    """Drawn diagonally in light red across every page, e.g. "依法视为准予" on a deemed
    approval certificate."""
    language: str = "zh-hans"
    """One of ``LANGUAGES``: sets the date format, the page numbering and the PDF's language."""
    time_zone: str = "Asia/Shanghai"
    """The time zone whose calendar date is printed."""

    def __post_init__(self) -> None:
        for name in ("title", "issuer", "number"):
            if not getattr(self, name).strip():
                raise ValueError(f"a formal document needs a {name}")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be an aware datetime")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error
        if self.verify_url and not self.verify_url.startswith(("https://", "http://")):
            raise ValueError("verify_url must be an http(s) address")
        if self.verify_caption and not self.verify_url:
            raise ValueError("a verify_caption needs a verify_url to point to")
        for name in ("fields", "paragraphs", "items", "closing_paragraphs"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a sequence, not one string")
        object.__setattr__(self, "fields", tuple((str(k), str(v)) for k, v in self.fields))
        object.__setattr__(self, "paragraphs", tuple(self.paragraphs))
        object.__setattr__(self, "items", tuple((str(k), str(v)) for k, v in self.items))
        object.__setattr__(self, "closing_paragraphs", tuple(self.closing_paragraphs))

    @property
    def local_issue_date(self) -> str:
        """The issue date as printed at the end of the document."""
        day = self.issued_at.astimezone(ZoneInfo(self.time_zone)).date()
        if self.language == "en":
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        return f"{day.year}年{day.month}月{day.day}日"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
