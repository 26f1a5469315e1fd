"""Repository files agree with each other: the hazard log's verifying tests exist."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_test_named_in_the_hazard_log_exists():
    text = (REPO / "docs" / "clinical-safety" / "hazard-log.md").read_text()
    refs = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert len(refs) >= 15
    for path, name in refs:
        source = (REPO / path).read_text()  # raises if the file is missing
        if name:
            # a prefix such as test_not_known_true_* names a family of tests
            assert re.search(rf"def {re.escape(name.rstrip('*'))}", source), f"{path}::{name}"


def test_every_recommendation_has_a_spec_file():
    names = sorted(p.name for p in (REPO / "tests" / "spec").glob("test_r[0-9][0-9]_*.py"))
    assert [n[6:8] for n in names] == [f"{i:02d}" for i in range(1, 15)]


# A project issue or a past working session cited in code ("issue 23", "session 10"): history belongs in git and
# CHANGELOG.md; a comment says why. Another project's issue tracker, named, is a citation and stays.
HISTORY = re.compile(r"\b(?:issues?|sessions?)\s+\d+", re.IGNORECASE)
CITATIONS = re.compile(r"govuk-frontend issue \d+", re.IGNORECASE)


def test_code_comments_say_why_not_when():
    found = []
    for folder, patterns in (
        ("apps", ("*.py", "*.html")),
        ("core", ("*.py",)),
        ("config", ("*.py",)),
        ("templates", ("*.html",)),
    ):
        for pattern in patterns:
            for path in (REPO / folder).rglob(pattern):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if HISTORY.search(CITATIONS.sub("", line)):
                        found.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    for path in (REPO / "static" / "js").glob("*.js"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HISTORY.search(line):
                found.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert found == []


def _imports(path: Path):
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level, [a.name for a in node.names]


def test_services_never_import_forms_or_views_and_no_app_imports_another_apps_private_names():
    """The layers (HackSoft style): views call services (writes) and selectors (reads); a service never reaches up
    into forms or views, and a private name (a leading underscore) stays in its own app."""
    found = []
    for path in sorted((REPO / "apps").rglob("*.py")):
        app = path.relative_to(REPO / "apps").parts[0]
        for module, level, names in _imports(path):
            if path.name == "services.py" and level == 1 and module.split(".")[0] in ("forms", "views"):
                found.append(f"{path.relative_to(REPO)} imports .{module}")
            other_app = module.startswith("apps.") and module.split(".")[1] != app
            if other_app and any(n.startswith("_") for n in names):
                found.append(f"{path.relative_to(REPO)} imports private {names} from {module}")
    assert found == []


def test_selectors_only_read():
    """A selector reads: it writes no row and records no audit event (HackSoft style; the writes are services')."""
    writes = re.compile(r"\.(save|create|delete|update|update_or_create|get_or_create|bulk_create)\(|audit_record")
    selectors = sorted((REPO / "apps").glob("*/selectors.py"))
    assert len(selectors) >= 5
    found = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in selectors
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []
