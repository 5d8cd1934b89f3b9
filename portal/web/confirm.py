"""A second step before a decision that cannot be undone (accept, refuse, deny, decide on site).

Without JavaScript (the Content-Security-Policy forbids inline script): the first POST shows a
page that restates what will happen and carries the typed fields; only the second POST, with
``confirmed=1``, acts.
"""

from django.shortcuts import render


def confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation_page(request, *, question, confirm_label, cancel_url, facts=(), consequence=""):
    carried = [(name, value) for name in request.POST for value in request.POST.getlist(name)
               if name not in ("csrfmiddlewaretoken", "confirmed")]
    return render(request, "confirm.html", {
        "question": question, "facts": facts, "consequence": consequence, "confirm_label": confirm_label,
        "cancel_url": cancel_url, "carried": carried,
    })
