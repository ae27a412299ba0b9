"""Plotly is served from this site (no CDN), at the version the Python package bundles, and the
pages run under the strict Content-Security-Policy: no inline script but JSON data."""

import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.offline
from django.conf import settings
from django.contrib.staticfiles import finders

OVERVIEW = "/?year=2019&fund=national"


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def scripts_of(html: str) -> list[dict]:
    parser = Scripts()
    parser.feed(html)
    return parser.scripts


def test_vendored_plotly_is_the_python_packages_version():
    path = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly.min.js"
    header = path.read_text(encoding="utf-8")[:200]
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1)
    assert version == plotly.offline.get_plotlyjs_version()
    assert finders.find("vendor/plotly.min.js") == str(path)


def test_vietnamese_locale_registers_itself_and_keeps_its_licence():
    text = (Path(settings.BASE_DIR) / "static" / "vendor" / "plotly-locale-vi.js").read_text(
        encoding="utf-8"
    )
    assert "MIT License" in text and "Plotly Technologies Inc." in text
    assert "name: 'vi'" in text
    assert "Plotly.register(" in text


def _pages(client, user):
    client.force_login(user)
    return [client.get(OVERVIEW), client.get("/tinh/34/19/?year=2019")]


def test_no_inline_script_but_json_data(client, ministry_user, programme):
    for response in _pages(client, ministry_user):
        scripts = scripts_of(response.text)
        sources = [script["src"] for script in scripts if "src" in script]
        assert sources == [
            "/static/vendor/plotly.min.js",
            "/static/vendor/plotly-locale-vi.js",
            "/static/js/charts.js",
        ]
        inline = [script for script in scripts if "src" not in script]
        assert inline, "the charts' data"
        assert all(script.get("type") == "application/json" for script in inline)
        assert "cdn" not in response.text.lower()


def test_every_chart_has_its_data(client, ministry_user, programme):
    for response in _pages(client, ministry_user):
        charts = re.findall(r'data-chart="([^"]+)"', response.text)
        assert charts
        for chart in charts:
            assert f'<script id="{chart}" type="application/json">' in response.text


def test_content_security_policy_forbids_inline_scripts(client, ministry_user, programme):
    for response in _pages(client, ministry_user):
        policy = response["Content-Security-Policy"]
        directives = {}
        for part in policy.split(";"):
            name, _space, value = part.strip().partition(" ")
            directives[name] = value
        assert "'self'" in directives["script-src"]
        assert "unsafe-inline" not in directives["script-src"]
        assert "unsafe-eval" not in directives["script-src"]
