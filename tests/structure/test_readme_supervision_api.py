"""README's API section names every figure the supervision APIs answer, so a field added
to the stats or the monthly report (as ``commitment_breaches`` was) is documented there too."""

from pathlib import Path

import pytest

from supervision.api import DepartmentFiguresOutput, OfficialStatsDetailOutput
from supervision.targets_api import ReportRowOutput

README = Path(__file__).resolve().parents[2] / "README.md"
# Identity columns, not figures.
NAMES = {"department", "name", "official", "badge", "from", "to", "bucket", "trend"}


def _api_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("- Supervision API beyond SPEC"):]


@pytest.mark.parametrize("serializer", [DepartmentFiguresOutput, ReportRowOutput, OfficialStatsDetailOutput])
def test_readme_names_every_supervision_figure(serializer):
    section = _api_section()
    missing = [name for name in serializer().fields if name not in NAMES and name not in section]
    assert not missing, f"README's supervision API paragraph does not name {missing}"
