from portal.organisation import roles


def work_links(request):
    """Which work pages the signed-in official gets in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_window": user.is_superuser or roles.has_role(user, roles.WINDOW_CLERK),
        "nav_review": user.is_superuser or roles.has_role(user, roles.REVIEWER)
        or roles.has_role(user, roles.DEPARTMENT_HEAD),
    }
