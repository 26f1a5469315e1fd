"""The CSP forbids inline script and style, so the templates must not contain any."""

import re
from pathlib import Path

import pytest

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES = sorted(TEMPLATES_DIR.rglob("*.html"))

SCRIPT_WITH_BODY = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.IGNORECASE | re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_templates_found():
    assert TEMPLATES_DIR / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_template_has_no_inline_script_or_style(path):
    text = path.read_text()
    bodies = [m["body"].strip() for m in SCRIPT_WITH_BODY.finditer(text)]
    assert [body for body in bodies if body] == [], "inline <script> body"
    assert not STYLE_ELEMENT.search(text), "<style> element"
    assert not STYLE_ATTRIBUTE.search(text), "style= attribute"
    assert not EVENT_HANDLER_ATTRIBUTE.search(text), "inline event handler (onclick= etc.)"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('<script src="/static/js/app.js"></script>', False),
        ("<script>alert(1)</script>", True),
        ('<p style="color: red">', True),
        ("<style>p {}</style>", True),
    ],
)
def test_inline_checks_detect_inline_code(text, found):
    detected = (
        any(m["body"].strip() for m in SCRIPT_WITH_BODY.finditer(text))
        or bool(STYLE_ELEMENT.search(text))
        or bool(STYLE_ATTRIBUTE.search(text))
    )
    assert detected is found


@pytest.mark.django_db
def test_base_template_loads_local_assets_only(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en-GB">' in html
    assert 'href="/static/vendor/nhsuk-frontend/nhsuk-frontend.min.css"' in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert 'href="/static/css/print.css" media="print"' in html
    assert 'class="nhsuk-skip-link"' in html
    assert 'href="#maincontent"' in html
    assert 'id="maincontent"' in html
    assert '<span class="nhsuk-header__service-name">SpinePrompt</span>' in html
    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []


ALL_TEMPLATES = sorted({*TEMPLATES, *TEMPLATES_DIR.parent.glob("apps/*/templates/**/*.html")})


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR.parent)))
def test_template_comments_are_closed_on_their_line(path):
    """Django's {# #} comments are one line only: a two-line one is printed on the page (it was, on every results
    page, until a screenshot showed it)."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        assert line.count("{#") == line.count("#}"), f"line {number}: use {{% comment %}} for a comment over lines"
