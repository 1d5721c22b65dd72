"""core, audit and search sit at the base of the dependency stack: no module of theirs imports a portal app.

Apps register their retention rules and personal-data handlers with core in their AppConfig.ready(); the
registries would otherwise become a cycle (docs/architecture.md, « La règle de dépendance »).
"""

import ast

import pytest
from django.conf import settings

PORTAL_APPS = {"accounts", "maisons", "pages", "legal", "partenaires", "events", "accueil", "demo", "config"}


def _imported_packages(path) -> set[str]:
    packages = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize("app", ["core", "audit", "search"])
def test_the_base_imports_no_portal_app(app):
    modules = [path for path in (settings.BASE_DIR / app).rglob("*.py") if "tests" not in path.parts]
    assert modules
    offenders = {str(path.relative_to(settings.BASE_DIR)): _imported_packages(path) & PORTAL_APPS for path in modules}
    assert {path: apps for path, apps in offenders.items() if apps} == {}
