"""Icon arrays of 100 people: the rounding rule and the grid, rendered as SVG by resources/_icon_array.html."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COLUMNS = 10
CELL = 24  # SVG units per person


def people_in_100(percent: float | Decimal) -> int:
    """How many of 100 people a percentage is: rounded half up to a whole person (19.2 -> 19, 9.6 -> 10,
    4.5 -> 5), and never below 0 or above 100."""
    value = Decimal(str(percent)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(0, min(100, int(value)))


@dataclass(frozen=True)
class Icon:
    x: int
    y: int
    affected: bool


def grid(affected: int) -> list[Icon]:
    """100 icons in rows of 10, the affected ones first (reading order), so they can be counted at a glance."""
    if not 0 <= affected <= 100:
        raise ValueError("affected must be between 0 and 100")
    return [Icon(x=(i % COLUMNS) * CELL, y=(i // COLUMNS) * CELL, affected=i < affected) for i in range(100)]
