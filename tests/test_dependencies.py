"""pyproject.toml declares every distribution the code imports (`pip install .` must work).

.ci/run also installs the package from pyproject.toml alone into a clean venv and
polls a loopback feed with it (.ci/poll_smoke.py); this test catches the common
case in a second: an import nobody declared.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import REPO

# Imported by a dependency, not by us, but the dependency does not declare it (issue 12).
UNDECLARED_BY_THEIR_USERS = {"lxml-html-clean"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {
        normalized(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0])
        for spec in project["dependencies"]
    }


def imported_modules() -> set[str]:
    names = set()
    for package in ("feeds", "bot"):
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("feeds", "bot")}


def test_every_imported_distribution_is_declared():
    distributions = packages_distributions()
    needed = {normalized(d) for module in imported_modules() for d in distributions.get(module, [])}
    assert needed, "no third-party imports found: the scan is broken"
    assert needed - declared() == set()


def test_what_a_dependency_imports_without_declaring_it_is_declared():
    assert declared() >= UNDECLARED_BY_THEIR_USERS
