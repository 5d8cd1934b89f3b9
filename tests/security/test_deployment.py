"""Issue 11 item 8: Content-Security-Policy on every page, no inline script anywhere, and a
production configuration that `check --deploy` passes.

The page walk renders every parameterless page of the site (and the pages of one demo
application) for each kind of visitor and fails on any inline <script>, any on…= event
handler and any style="…" attribute: the policy allows none of them, so a browser would
silently drop them."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = [None, "citizen", "window", "reviewer_market", "head_market", "supervisor", "discipline", "admin"]

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


def parameterless_paths() -> list[str]:
    """Every URL of the site that takes no argument (the API and the admin aside)."""
    paths = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith(("api/", "admin/", "i18n/")):
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def inline_code(html: str) -> list[str]:
    found = [m.group(0) for m in SCRIPT_TAG.finditer(html)
             if "src=" not in m.group(1) and "application/json" not in m.group(1)]
    found += [m.group(0)[:120] for m in EVENT_HANDLER.finditer(html)]
    found += [m.group(0)[:120] for m in STYLE_ATTRIBUTE.finditer(html)]
    found += [m.group(0) for m in STYLE_BLOCK.finditer(html)]
    return found


def test_the_walk_covers_the_main_pages():
    paths = parameterless_paths()
    for expected in ["/", "/services/", "/track/", "/login/", "/register/"]:
        assert expected in paths
    assert len(paths) >= 20, paths


def test_the_detector_finds_what_the_policy_forbids():
    assert inline_code('<script>alert(1)</script>')
    assert inline_code('<form onsubmit="return confirm(1)">')
    assert inline_code('<div class="x"\n  style="margin:0">')
    assert inline_code("<style>p{}</style>")
    assert not inline_code('<script src="/static/js/portal.js" defer></script><p>one=1 style</p>')


@pytest.mark.django_db
def test_every_page_has_a_strict_policy_and_no_inline_code(world, client):
    from approvals.models import Application

    paths = parameterless_paths()
    application = Application.objects.exclude(status="draft").order_by("pk").first()
    problems, rendered = [], 0
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(getattr(world, persona))
        extra = [f"/applications/{application.pk}/"] if application and persona in {"window", "admin"} else []
        for path in paths + extra:
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            rendered += 1
            policy = response.get("Content-Security-Policy", "")
            script_src = re.search(r"script-src ([^;]*)", policy)
            if not script_src or "'unsafe-inline'" in script_src.group(1) or "'self'" not in script_src.group(1):
                problems.append((persona, path, "policy", policy))
            if "'unsafe-inline'" in policy:
                problems.append((persona, path, "unsafe-inline", policy))
            for snippet in inline_code(response.content.decode()):
                problems.append((persona, path, snippet))
    assert rendered >= 60, rendered
    assert not problems, problems[:20]


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_url(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not [m for m in SCRIPT_TAG.finditer(html) if "src=" not in m.group(1)]
    script = re.search(r'<script src="([^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
    assert client.get(script).status_code == 200
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]*)", page["Content-Security-Policy"]).group(1)


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}}
    env.update(PORTAL_ENV="production", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="portal.example",
               DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/portal",
               REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
               SITE_URL="https://portal.example", **extra)
    return env


def test_check_deploy_in_production_warns_only_about_what_the_readme_explains():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT,
                            env=production_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    security = sorted(set(re.findall(r"\((security\.\w+)\)", result.stdout + result.stderr)))
    # W021: HSTS preload is a commitment to the browsers' list, left to the operator (README).
    assert security == ["security.W021"], result.stdout + result.stderr


def test_production_redirects_to_https_and_sends_hsts():
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='portal.example')\n"
        "r = c.get('/services/'); print(r.status_code, r['Location'])\n"
        "r = c.get('/no-such-page/', secure=True); print(r.status_code, r.headers.get('Strict-Transport-Security'))\n"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    redirect, secure = result.stdout.strip().splitlines()[-2:]
    assert redirect == "301 https://portal.example/services/"
    assert secure.startswith("404 max-age=31536000") and "includeSubDomains" in secure
