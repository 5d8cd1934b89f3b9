"""One history line in words: when · who (name and badge, never a username) · what → new status.

    {% load audit_history %}
    {% for e in events %}<li>{% history_line e %}</li>{% endfor %}
    {% history_line e applicant_id=application.applicant_id show_note=True %}
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from portal.audit.history import action_words, status_words
from portal.organisation.templatetags.portal_staff import official

register = template.Library()


def actor_words(event, applicant_id=None):
    """The sweep is "the system"; an official is his name and badge; anyone else is the
    applicant (or a citizen), never his user name."""
    actor = event.actor
    if actor is None:
        return _("system")
    if getattr(actor, "staff_profile", None) is not None:
        return official(actor)
    if applicant_id is not None and event.actor_id == applicant_id:
        return _("applicant")
    if actor.is_superuser:
        return _("administrator")
    return _("citizen")


@register.simple_tag
def history_line(event, applicant_id=None, show_note=True):
    what = action_words(event.object_type, event.action)
    became = status_words(event.object_type, event.to_status)
    # "submitted → submitted" says nothing: show the new status only when it changed and the
    # words of the step do not already say it.
    changed = became and event.to_status != event.from_status and str(became) not in str(what)
    when = date_format(localtime(event.at), "Y-m-d H:i")
    return format_html(
        '<span class="muted">{}</span> · {} · {}{}{}', when, actor_words(event, applicant_id), what,
        format_html(" → {}", became) if changed else "",
        format_html(" — {}", event.note) if show_note and event.note else "",
    )


@register.filter
def event_action(event) -> str:
    return action_words(event.object_type, event.action)
