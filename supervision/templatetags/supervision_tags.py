"""Template helpers of the supervision pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from supervision.assessment import FULL_SCORE, weight_rows

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.9523 → "95.2%"; no value → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def dash(value) -> str:
    return "—" if value is None else value


@register.simple_tag
def rate_cell(row: dict, figure: str):
    """A table cell with a rate beside its target (考核目标); below target it is flagged in
    colour and in words, so the flag reads without colour too."""
    value = row.get(figure)
    target = (row.get("targets") or {}).get(figure)
    if target is None:
        return format_html("<td>{}</td>", percent(value))
    if figure in row.get("below_target", ()):
        return format_html('<td class="below-target" data-below="{}">{} <span class="target-flag">{}</span></td>',
                           figure, percent(value),
                           _("below target (≥ %(target)s)") % {"target": percent(target)})
    return format_html('<td>{} <span class="muted target">{}</span></td>', percent(value),
                       _("target ≥ %(target)s") % {"target": percent(target)})


@register.simple_tag
def assessment_weights() -> dict:
    """绩效考评得分: the full score and what takes points off it, for the legend."""
    return {"full": FULL_SCORE, "rows": weight_rows()}
