"""Formal documents (正式文书) as PDF: acceptance receipt (受理通知书), one-time correction
notice (一次性告知书), refusal (不予受理决定书), decision (决定书) and certificate (证书).

A plain package, not a Django app: build a ``FormalDocument`` and pass it to ``render_pdf``.
"""

from .formal_document import FormalDocument
from .rendering import render_pdf

__all__ = ["FormalDocument", "render_pdf"]
