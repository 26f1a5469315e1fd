"""What a GP does from login to the plan, for three consultations, in real Chromium (issue 23).

Starts the app on a throwaway SQLite database, logs in as a GP, fills the assessment form as a GP would for each case
(only the answers the case gives), and counts the clicks and the typed fields from the login page to the results
page, then measures the results page: its height, and what is on the first screen at 1280x800 and 390x844.

    .venv/bin/python bench/consultation.py [--write]

The cases are the three of issue 23. --write records the table in docs/consultation.md (section "Clicks, typing and
page height"). Needs Debian's chromium and the Playwright package of the dev dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "consultation.md"
PORT = 8731
START = "<!-- consultation-bench:start (bench/consultation.py --write) -->"
END = "<!-- consultation-bench:end -->"

# Each step: ("fill", selector, value) is a typed field; ("check", selector) and ("select", selector, value) are
# clicks. Radio ids follow the form: _0 is the first choice (Yes; female; sudden; thoracic).
CASES = {
    "72-year-old woman, sudden thoracic pain lifting, prednisolone 10 mg for 5 months, wrist fracture": [
        ("fill", "#id_age", "72"),
        ("check", "#id_sex_0"),
        ("check", "#id_back_pain__present_0"),
        ("check", "#id_back_pain__onset_0"),
        ("check", "#id_back_pain__after_minor_trauma_0"),
        ("check", "#id_back_pain__site_0"),
        ("check", "#id_prior_fragility_fracture_0"),
        ("check", "#id_glucocorticoids__current_or_recent_0"),
        ("fill", "#id_glucocorticoids__prednisolone_mg_per_day", "10"),
        ("fill", "#id_glucocorticoids__months", "5"),
    ],
    "58-year-old man, back pain, weight loss, night pain, past prostate cancer": [
        ("fill", "#id_age", "58"),
        ("check", "#id_sex_1"),
        ("check", "#id_back_pain__present_0"),
        ("check", "input[name=red_flags][value=history_of_cancer]"),
        ("check", "input[name=red_flags][value=unexplained_weight_loss]"),
        ("check", "input[name=red_flags][value=night_pain]"),
    ],
    "80-year-old woman, CT report 'moderate wedge deformity of T8'": [
        ("fill", "#id_age", "80"),
        ("check", "#id_sex_0"),
        ("fill", "#id_spine_imaging__report_text", "CT abdomen. Incidental finding: moderate wedge deformity of T8."),
    ],
}
WIDTHS = ((1280, 800), (390, 844))


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "SQLITE_PATH": str(db), "DJANGO_ENV": "development", "DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True)
    password = secrets.token_urlsafe(12)
    script = (
        "from apps.accounts.models import User\n"
        f"u = User.objects.create_user('benchgp', password={password!r}, role='gp')\n"
    )
    subprocess.run([py, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True)
    server = subprocess.Popen(
        [py, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, password


def first_screen(page, height: int) -> dict:
    """What the first screen holds: the plan's items and whether the copy button is on it."""
    return page.evaluate(
        """(height) => {
            // Wholly on the first screen (no scrolling needed to read it).
            const on = (el) => Boolean(el) && el.getBoundingClientRect().bottom <= height;
            const items = [...document.querySelectorAll('.sp-plan-item')];
            const firstAction = document.querySelector('.sp-plan-item, .sp-actions li');
            return {
                plan_items: items.length,
                plan_items_on_first_screen: items.filter(on).length,
                first_action_on_first_screen: on(firstAction),
                copy_on_first_screen: on(document.querySelector('#plan-copy, .sp-copy[data-copy-target=summary-text]')),
                page_height: document.documentElement.scrollHeight,
            };
        }""",
        height,
    )


def run(shots: Path | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        server, password = serve(Path(tmp) / "bench.sqlite3")
        try:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            for name, steps in CASES.items():
                for width, height in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    base = f"http://127.0.0.1:{PORT}"
                    page.goto(f"{base}/accounts/login/")
                    page.fill("#id_username", "benchgp")
                    page.fill("#id_password", password)
                    clicks, typed = 1, 2  # the log-in button; user name and password
                    page.get_by_role("button", name="Log in").click()
                    page.get_by_role("link", name="New assessment").first.click()
                    clicks += 1
                    for step in steps:
                        if step[0] == "fill":
                            page.fill(step[1], step[2])
                            typed += 1
                        else:
                            page.locator(step[1]).check()
                            clicks += 1
                    page.get_by_role("button", name="Show prompts").first.click()
                    clicks += 1
                    page.wait_for_load_state()
                    rows.append(
                        {"case": name, "width": width, "clicks": clicks, "typed": typed, **first_screen(page, height)}
                    )
                    if shots is not None:
                        page.screenshot(path=str(shots / f"case{list(CASES).index(name) + 1}-{width}.png"))
                    page.close()
            browser.close()
        finally:
            server.terminate()
            server.wait()
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| case | width | clicks | typed fields | page height (px) | first action on the first screen | plan items "
        "on it | copy on it |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['width']} | {r['clicks']} | {r['typed']} | {r['page_height']:,} | "
            f"{'yes' if r['first_action_on_first_screen'] else 'no'} | {r['plan_items_on_first_screen']} of "
            f"{r['plan_items']} | {'yes' if r['copy_on_first_screen'] else 'no'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--screenshots", type=Path, help="save each results page's first screen in this folder")
    args = parser.parse_args()
    rows = run(args.screenshots)
    text = table(rows)
    print(text)
    print(json.dumps(rows))
    if args.write:
        doc = DOC.read_text()
        block = f"{START}\n{text}\n{END}"
        if START in doc:
            head, rest = doc.split(START, 1)
            doc = head + block + rest.split(END, 1)[1]
        else:
            doc += f"\n{block}\n"
        DOC.write_text(doc)


if __name__ == "__main__":
    main()
