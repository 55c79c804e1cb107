"""Imports flow one way: articles, then accounts and quizzes beside each other, then hub."""

import ast

import pytest

from tests.tools import ROOT

OUR_APPS = {"hub", "articles", "accounts", "quizzes"}
MAY_IMPORT = {
    "articles": {"articles"},
    "accounts": {"accounts", "articles"},
    "quizzes": {"quizzes", "articles"},
    "hub": OUR_APPS,
}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in OUR_APPS:
                yield top, node.lineno


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
