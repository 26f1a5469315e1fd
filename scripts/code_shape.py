"""The shape of the code, for the before/after record in docs/code-shape.md.

    .venv/bin/python scripts/code_shape.py [CHECKOUT]      # default: this checkout

Prints, for the Python under apps/ and core/ (migrations left out): how many modules and lines, the largest
modules, the longest functions, and how many functions are over 50 and over 80 lines. Reads files only (ast), so
it works on any checkout, such as one made with ``git worktree add /tmp/before <commit>``. Repeated code is counted
by the ``duplicates`` tool, not here.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

TOP = 12


def shape(root: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    modules: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for folder in ("apps", "core"):
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(root).as_posix()
            modules.append((len(text.splitlines()), name))
            for node in ast.walk(ast.parse(text, filename=name)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    functions.append((node.end_lineno - node.lineno + 1, f"{name}: {node.name}"))  # type: ignore[operator]
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    modules, functions = shape(root)
    print(
        f"{len(modules)} modules, {sum(n for n, _ in modules):,} lines; {len(functions)} functions, "
        f"{sum(n > 50 for n, _ in functions)} over 50 lines, {sum(n > 80 for n, _ in functions)} over 80"
    )
    print("\n| largest modules | lines |\n| --- | ---: |")
    for n, name in modules[:TOP]:
        print(f"| `{name}` | {n:,} |")
    print("\n| longest functions | lines |\n| --- | ---: |")
    for n, name in functions[:TOP]:
        print(f"| `{name}` | {n} |")


if __name__ == "__main__":
    main()
