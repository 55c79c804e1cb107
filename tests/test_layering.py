"""Dependencies flow one way, in Python and in templates.

common (helpers) ← hubs (which hub a host names) ← brand (name, logo, colours) ← articles
(the core) ← accounts, quizzes ← consent, newsletter ← hub (the project, which wires them
together) ← demo (content for every app).

Templates follow the same rule: a template under templates/<app>/ may extend, include,
load tags from and link to (namespaced URLs) only the apps its app builds on. The page
frame (templates outside an app folder: base.html, the allauth layouts…) belongs to the
project; apps extend it the way Django's own apps extend "admin/base_site.html".
"""

import ast
import re

import pytest

from tests.tools import ROOT

MAY_IMPORT = {
    "common": {"common"},
    # Every page and email speaks for one hub (the request's host, or a task's).
    "hubs": {"hubs", "common"},
    # The brand (name, logo, colours) is each hub's and is shown by every app.
    "brand": {"brand", "hubs", "common"},
    "articles": {"articles", "brand", "hubs", "common"},
    "accounts": {"accounts", "articles", "brand", "hubs", "common"},
    "quizzes": {"quizzes", "articles", "brand", "hubs", "common"},
    "consent": {"consent", "accounts", "articles", "brand", "hubs", "common"},
    "newsletter": {"newsletter", "accounts", "articles", "brand", "hubs", "common"},
    # The serving layer: what a shared page may be kept as, and for how long.
    "pagecache": {"pagecache", "articles", "brand", "hubs", "common"},
    "hub": {
        "hub",
        "pagecache",
        "consent",
        "newsletter",
        "accounts",
        "quizzes",
        "articles",
        "brand",
        "hubs",
        "common",
    },
}
MAY_IMPORT["demo"] = {"demo", *MAY_IMPORT["hub"]}
OUR_APPS = set(MAY_IMPORT)


def imported_packages(path):
    """(top-level package, line) for each absolute import in the module at `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            yield name.split(".")[0], node.lineno


def imported_apps(path):
    return ((top, line) for top, line in imported_packages(path) if top in OUR_APPS)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_app_imports_only_what_it_builds_on(app):
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in (ROOT / app).rglob("*.py")
        for imported, line in imported_apps(path)
        if imported not in MAY_IMPORT[app]
    ]
    assert offences == []


def test_the_check_sees_a_backwards_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from accounts.models import User\n")

    assert list(imported_apps(module)) == [("accounts", 1)]


def test_tests_do_not_import_the_benchmarks():
    """bench/ is scripts that print figures: what a test shares with them lives in tests/."""
    offences = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in (ROOT / "tests").rglob("*.py")
        for top, line in imported_packages(path)
        if top == "bench"
    ]
    assert offences == []


TEMPLATES = ROOT / "templates"
REFERENCE = re.compile(r"""\{%\s*(extends|include)\s+["']([^"']+)["']""")
LOAD = re.compile(r"\{%\s*load\s+([^%]+?)\s*%\}")
URL = re.compile(r"""\{%\s*url\s+["'](\w+):""")


def tag_libraries():
    """{library name: app} for our template tag libraries."""
    return {
        path.stem: app
        for app in OUR_APPS
        for path in (ROOT / app).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


def template_app(name):
    """The app a template belongs to (admin/<app>/… included), or None for the frame."""
    parts = name.split("/")
    if parts[0] == "admin" and len(parts) > 2:
        parts = parts[1:]
    return parts[0] if len(parts) > 1 and parts[0] in OUR_APPS else None


def template_uses(text):
    libraries = tag_libraries()
    for kind, name in REFERENCE.findall(text):
        yield f"{kind} {name}", template_app(name)
    for names in LOAD.findall(text):
        for library in names.split():
            if library in libraries:
                yield f"load {library}", libraries[library]
    for namespace in URL.findall(text):
        if namespace in OUR_APPS:
            yield f"url {namespace}:", namespace


def test_templates_use_only_what_their_app_builds_on():
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt")):
        name = str(path.relative_to(TEMPLATES))
        app = template_app(name)
        if app is None:
            continue  # the frame may use every app
        for use, owner in template_uses(path.read_text()):
            if owner is not None and owner not in MAY_IMPORT[app]:
                offences.append(f"{name}: {use}")
    assert offences == []


def test_the_template_check_sees_a_guest_named_by_the_core():
    text = '{% load quiz_tags %}{% include "accounts/_bookmark_button.html" %}'

    uses = dict(template_uses(text.replace("quiz_tags", "hub_tags")))

    assert uses == {"include accounts/_bookmark_button.html": "accounts", "load hub_tags": "hub"}
    assert template_app("articles/article_detail.html") == "articles"
    assert template_app("admin/quizzes/quiz/results.html") == "quizzes"
    assert template_app("base.html") is None
