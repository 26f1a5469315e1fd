"""Shared helpers for the rules-core tests (pure Python: no database)."""

import datetime as dt
import json
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
VIGNETTE_DIR = REPO / "tests" / "data" / "vignettes"


def load_vignettes() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(VIGNETTE_DIR.glob("*.json"))]


@pytest.fixture
def today() -> dt.date:
    return TODAY
