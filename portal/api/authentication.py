"""API authentication: DRF's token authentication, with what nearly every call asks next."""

from rest_framework import authentication
from rest_framework.authtoken.models import Token

from portal.organisation import roles
from portal.prepared import PreparedQuery

# The caller's staff profile (None for a citizen): permissions and a reviewer's department
# read it on almost every call, a query of its own otherwise. Not the centers of his window
# and department: PostgreSQL took 1.1 ms to plan that six-table join, 0.3 ms this one, and
# most calls are citizens'.
ALONG = ("user__staff_profile",)

# Every authenticated API call runs it: compiled once per process (portal.prepared), which
# was half of the call's 1.1 ms of authentication. The caller's roles (group names) come in the
# same statement (a query of their own on nearly every call otherwise).
_token_read = PreparedQuery(lambda key: Token.objects.select_related(*ALONG)
                            .annotate(role_names=roles.groups_along("user_id")).filter(key=key)[:1], str)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` as DRF reads it, the user's staff profile read along in
    the same query."""

    def authenticate_credentials(self, key):
        found = _token_read(key)
        token = found[0] if found else None
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # DRF's own answers (401)
        roles.remember(token.user, token.role_names)
        return token.user, token
