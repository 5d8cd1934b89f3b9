"""The layers of README "Where things are" hold: import-linter's contracts are kept, and no
module hides an import inside a function (where the layers and cycle checks would still see
it, but a reader would not)."""

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "accountability", "approvals", "complaints", "inquiries", "supervision", "public")


def test_the_import_contracts_are_kept():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        # AppConfig.ready is where Django says to connect signals and registries.
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_imports_inside_a_function():
    hidden = [hit for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
              if "migrations" not in path.parts for hit in _function_level_imports(path)]
    assert hidden == []
