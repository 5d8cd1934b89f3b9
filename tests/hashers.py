"""A password hasher for the test process only (tests/conftest.py installs it).

The same algorithm as production (PBKDF2-SHA256, Django's own code, stored as
``pbkdf2_sha256$…``) with far fewer iterations: the demo world's fifteen accounts are checked
or set every time the demo is seeded, and every sign-in checks one, at about a second each on
a loaded 2-core machine with Django's 1,000,000 iterations. What the tests check of passwords
(right or wrong, lockouts, the demo password) does not depend on the count; production keeps
Django's default (tests/portal/test_settings.py)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
