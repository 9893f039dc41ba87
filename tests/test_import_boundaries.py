"""The dependency rules of docs/architecture.md, checked on every module.

The core never imports a format (it finds them in the registry); a format never imports
another format; and formats reach the caches only through their content source and the
core's services, never the cache package itself.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("path", modules("repository"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_no_format(path):
    assert not {m for m in imported_modules(path) if within(m, "formats")}


FORMATS = sorted(p.name for p in (ROOT / "formats").iterdir() if (p / "apps.py").exists())


@pytest.mark.parametrize("path", modules("formats"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_format_imports_no_other_format_and_no_cache_internals(path):
    own = path.relative_to(ROOT / "formats").parts[0]
    imported = imported_modules(path)
    others = {f"formats.{name}" for name in FORMATS if name != own}
    assert not {m for m in imported if any(within(m, other) for other in others)}
    assert not {m for m in imported if within(m, "repository.cache")}


def test_the_rules_see_every_format():
    assert FORMATS == ["generic", "npm", "pypi"]
