"""Strict parsers for settings taken from environment variables.

A bad value stops the process with a message naming the variable, instead of
quietly falling back to a default (healthchecks' hc/settings.py does the same).
"""

import os


class ImproperEnv(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperEnv(f"{name}={value!r} is not a boolean (use true/false)")


def _env_number(name: str, default, kind, word: str):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return kind(value)
    except ValueError:
        raise ImproperEnv(f"{name}={value!r} is not {word}") from None


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_weights(name: str, default: dict[str, int]) -> dict[str, int]:
    """``default`` with the weights given as ``key=points,key=points``: every key one of
    ``default``'s, every value a whole number from 0; anything else stops the process."""
    value = os.environ.get(name)
    weights = dict(default)
    if value is None or value.strip() == "":
        return weights
    for item in value.split(","):
        key, sep, points = (part.strip() for part in item.partition("="))
        if not sep or key not in default or not points.isascii() or not points.isdigit():
            raise ImproperEnv(f"{name}={value!r}: {item.strip()!r} is not key=points with a key among "
                              f"{', '.join(default)} and points a whole number from 0")
        weights[key] = int(points)
    return weights


# Keys that appear in tutorials, templates and this repository: never a production secret.
KNOWN_WEAK_SECRETS = {
    "x", "secret", "changeme", "change-me", "changeit", "password", "django-secret-key",
    "embedded-development-key-not-for-production", "your-secret-key", "your-secret-key-here",
    "insecure", "development", "test", "dev",
}
MIN_SECRET_LENGTH = 50
MIN_SECRET_DISTINCT_CHARACTERS = 16


def secret_key_weakness(value: str) -> str | None:
    """Why ``value`` is too weak to sign sessions and tokens in production, or None.

    Django's own deploy check wants at least 50 characters and 5 distinct ones; a key
    from ``secrets.token_urlsafe(50)`` has about 67 characters and 40 distinct, so the
    bar below refuses only what no generator produces: known defaults, Django's
    ``django-insecure-`` keys, short keys, few distinct characters and repeated patterns.
    """
    lowered = value.strip().lower()
    if lowered in KNOWN_WEAK_SECRETS:
        return "is a known default"
    if value.startswith("django-insecure-"):
        return "is a django-insecure- development key"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is {len(value)} characters long (at least {MIN_SECRET_LENGTH})"
    if len(set(value)) < MIN_SECRET_DISTINCT_CHARACTERS:
        return f"has {len(set(value))} distinct characters (at least {MIN_SECRET_DISTINCT_CHARACTERS})"
    for period in range(1, len(value) // 2 + 1):
        if all(value[i] == value[i % period] for i in range(len(value))):
            return f"repeats a {period}-character pattern"
    return None
