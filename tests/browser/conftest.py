"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every test in this folder is marked ``browser`` (see pytest_collection_modifyitems), so
``pytest -m "not browser"`` skips them. See docs/testing.md.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection, transaction
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from apps.accounts.models import User

BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS_DIR = BROWSER_DIR.parents[1] / "docs" / "screenshots"

# Debian's package (scripts/setup installs it); Playwright's own browser downloads are not used.
CHROMIUM = os.environ.get("SPINEPROMPT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: on a machine without outside network they stall or fail the page loads.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = "pw-for-browser-tests-only"
# axe impacts that fail a test; "minor" and "moderate" are left to review.
FAILING_IMPACTS = ("moderate", "serious", "critical")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API runs an asyncio event loop in this thread, so Django's async-safety
    # check would refuse the ORM calls the tests make (creating users, reading the audit log).
    # The tests are plain synchronous code, so the check is switched off, for this package only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: run scripts/setup (as root it installs Debian's chromium), "
            "or `apt-get install chromium`, or set SPINEPROMPT_CHROMIUM to a chromium binary."
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def _append_only_audit_flush(transactional_db) -> Iterator[None]:
    """Let the live-server tests' database flush run despite the append-only and insert-only triggers (the audit
    log; stored assessments with their prompts, decisions and report reviews; issued CDS Hooks cards and their
    feedback).

    Set up after transactional_db, so torn down before its flush. On SQLite the flush is a DELETE per table, which
    each guarded table's BEFORE DELETE trigger refuses, so the rows the test wrote are removed here with those
    triggers briefly dropped and then recreated exactly as their migrations made them. PostgreSQL flushes with
    TRUNCATE, which row triggers do not see, so nothing is needed there.
    """
    yield
    if connection.vendor != "sqlite":
        return
    with lifted_guards("DELETE") as tables, connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


_PARENT_TABLES = {"assessments_assessment", "cdshooks_issuedcard"}


@contextmanager
def lifted_guards(statement: str) -> Iterator[list[str]]:
    """Lift the triggers that refuse ``statement`` (UPDATE or DELETE) on the guarded tables, yield those tables
    (rows referring to another guarded table first), and put the triggers back exactly as they were, all in one
    transaction. For test data only: the app never does this.

    SQLite: the triggers are dropped and recreated from their stored SQL. PostgreSQL: they are disabled and
    enabled again (the test database's owner may do that)."""
    if connection.vendor == "sqlite":  # one trigger per statement and table
        suffixes: tuple[str, ...] = ({"DELETE": "_no_delete", "UPDATE": "_no_update"}[statement],)
    else:  # one trigger per table, refusing both
        suffixes = ("_append_only", "_insert_only")
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text, NULL FROM pg_trigger WHERE NOT tgisinternal")
        triggers = [row for row in cursor.fetchall() if row[0].endswith(suffixes)]
        assert triggers, "no guard triggers found: did the migrations run?"
        for name, table, _ in triggers:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {q(name)}")
            else:
                cursor.execute(f"ALTER TABLE {q(table)} DISABLE TRIGGER {q(name)}")
        # Children first: prompts, decisions and report reviews refer to their assessment, feedback to its card.
        yield sorted({table for _, table, _ in triggers}, key=lambda t: (t in _PARENT_TABLES, t))
        for name, table, create_sql in triggers:
            if connection.vendor == "sqlite":
                cursor.execute(create_sql)
            else:
                cursor.execute(f"ALTER TABLE {q(table)} ENABLE TRIGGER {q(name)}")


@pytest.fixture
def lift_guards() -> Callable[[str], AbstractContextManager[list[str]]]:
    """``with lift_guards("UPDATE") as tables:`` lets a test set up data the app would never change."""
    return lifted_guards


def _new_context(browser: Browser, base_url: str, **options) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, **options)
    yield context
    context.close()


@pytest.fixture
def context(browser: Browser, live_server, _append_only_audit_flush) -> Iterator[BrowserContext]:
    yield from _new_context(browser, live_server.url)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A fresh page in its own browser context (no cookies shared between tests), 1280x900."""
    return context.new_page()


@pytest.fixture
def nojs_page(browser: Browser, live_server, _append_only_audit_flush) -> Iterator[Page]:
    """A page with JavaScript switched off, as some NHS machines and assistive setups have it."""
    for context in _new_context(browser, live_server.url, java_script_enabled=False):
        yield context.new_page()


@pytest.fixture
def console_messages(page: Page) -> list[ConsoleMessage]:
    """Every console message the page logs, collected from the start of the test."""
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    return messages


@pytest.fixture
def login(transactional_db) -> Callable[..., User]:
    """login(page, role) creates a user with that role and logs in through the real login form."""

    def _login(page: Page, role: str, *, username: str | None = None) -> User:
        user = User.objects.create_user(username=username or f"browser-{role}", password=PASSWORD, role=role)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("/")
        return user

    return _login


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """axe_check(page) runs axe-core on the page and fails listing every moderate, serious or critical violation."""
    axe = Axe()

    def _axe_check(page: Page) -> None:
        results = axe.run(page)
        failing = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
        if failing:
            lines = [f"axe found {len(failing)} moderate, serious or critical violation(s) on {page.url}:"]
            for v in failing:
                lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
                lines.extend(f"    {', '.join(map(str, node['target']))}" for node in v["nodes"])
            pytest.fail("\n".join(lines), pytrace=False)

    return _axe_check


# Chromium stamps every PDF with the time it was printed; nothing else in it changes from run to run.
_PDF_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)")


# Chromium's anti-aliasing of curved edges varies a little between runs (seen: 3 pixels one level apart at a
# rounded corner). A difference this small is not a change in the page.
_PNG_LEVELS = 2


def same_picture(old: bytes, new: bytes, levels: int = _PNG_LEVELS) -> bool:
    """True if two PNGs have the same size and no pixel channel differs by more than _PNG_LEVELS (of 255)."""
    from PIL import Image, ImageChops, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(old)) as a, Image.open(io.BytesIO(new)) as b:
            if a.size != b.size:
                return False
            diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
    except (UnidentifiedImageError, OSError):  # not a PNG both times: compare as bytes (already different)
        return False
    return all(high <= levels for _low, high in diff.getextrema())


def save_artifact(path: Path, data: bytes, *, levels: int = _PNG_LEVELS) -> bool:
    """Write a committed documentation file (a screenshot or a leaflet PDF) only when what it shows changed, so
    a test run leaves the checkout clean. A PDF's print dates are ignored in the comparison, and so are a PNG's
    anti-aliasing differences (same_picture). True if written."""
    if path.exists():
        old = path.read_bytes()
        if old == data:
            return False
        if path.suffix == ".pdf" and _PDF_DATES.sub(b"", old) == _PDF_DATES.sub(b"", data):
            return False
        if path.suffix == ".png" and same_picture(old, data, levels):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """screenshot(page, name) saves a full-page PNG to docs/screenshots/<name>.png (committed; the README
    links to them), rewritten only when it looks different. full_page=False keeps to the 1280x900 viewport,
    for long pages."""

    def _screenshot(
        page: Page, name: str, *, full_page: bool = True, mask: tuple[str, ...] = (), levels: int = _PNG_LEVELS
    ) -> Path:
        """``mask``: selectors of what changes from run to run (a date), painted over so the file does not;
        ``levels``: a wider anti-aliasing tolerance for a page whose text is re-rendered slightly each run."""
        path = SCREENSHOTS_DIR / f"{name}.png"
        shot = page.screenshot(full_page=full_page, mask=[page.locator(m) for m in mask])
        save_artifact(path, shot, levels=levels)
        return path

    return _screenshot
