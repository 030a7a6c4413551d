"""The import rule: feeds/ is a library and never knows the chat platform."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_FEEDS = ("discord", "bot")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(package: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(REPO)} imports {module}")
    return found


def test_feeds_never_imports_discord_or_bot():
    assert violations(REPO / "feeds", FORBIDDEN_IN_FEEDS) == []


def test_the_checker_catches_a_violation(tmp_path):
    (tmp_path / "bad.py").write_text("def f():\n    from discord import Embed\n")
    (tmp_path / "ok.py").write_text("import feeds.store\n")
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert violations(tmp_path, FORBIDDEN_IN_FEEDS) == ["bad.py imports discord"]
    finally:
        REPO = saved


@pytest.mark.parametrize("package", ["feeds", "bot"])
def test_packages_import_cleanly(package):
    __import__(package)
