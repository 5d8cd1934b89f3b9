"""What a case's source reference names (an application, a complaint).

The apps that open cases sit above accountability in the layers (README), so it cannot
import them; each tells it here, from its AppConfig.ready, how to find what a reference of
its sources names: the page to link and the department concerned."""

from collections.abc import Callable
from dataclasses import dataclass

from portal.organisation.models import Department


@dataclass(frozen=True)
class SourceRecord:
    url: str
    department: Department | None


Finder = Callable[[str], SourceRecord | None]
_finders: dict[str, Finder] = {}


def source_finder(*sources: str) -> Callable[[Finder], Finder]:
    """Register ``finder(reference) -> SourceRecord | None`` for cases of ``sources``."""

    def register(finder: Finder) -> Finder:
        for source in sources:
            _finders[source] = finder
        return finder

    return register


def source_find(source: str, reference: str) -> SourceRecord | None:
    """What ``reference`` names for a case from ``source``, or None (unknown, or nothing registered)."""
    finder = _finders.get(source)
    return finder(reference) if finder and reference else None
