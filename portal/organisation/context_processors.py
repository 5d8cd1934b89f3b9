def staff_badge(request):
    """The signed-in official's badge, shown in the page header (挂牌上岗)."""
    user = getattr(request, "user", None)
    profile = getattr(user, "staff_profile", None) if user is not None and user.is_authenticated else None
    return {"current_badge": profile.badge if profile else None}
