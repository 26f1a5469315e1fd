"""What the screener returns: each matched phrase (``ReportMatch``) and the report's screening (``ReportScreen``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CLASSES = ("explicit", "probable", "urgent", "mimic", "exclusion", "negated")


@dataclass(frozen=True, slots=True)
class ReportMatch:
    text: str  # the matched phrase exactly as in the report
    start: int  # character offsets into the original text
    end: int
    cls: str  # "explicit" | "probable" | "urgent" | "mimic" | "exclusion" | "negated"
    levels: tuple[str, ...]  # vertebral levels in the same clause (else sentence), T1..T12 then L1..L5
    age: str | None  # "old" | "acute" | None
    negated_class: str | None = None  # for cls == "negated": the class the phrase would have had


@dataclass(frozen=True, slots=True)
class ReportScreen:
    classification: str  # "urgent" | "explicit" | "probable" | "none"
    matches: tuple[ReportMatch, ...]  # ordered by start
    levels: tuple[str, ...]  # union of levels of the explicit/probable/urgent matches
    grade: int | None  # highest Genant grade stated (1-3)
    height_loss_percent: int | None  # highest stated vertebral height loss percentage

    def as_dict(self) -> dict[str, Any]:
        """The screening as JSON: what `manage.py screen_report` prints and the result's "report" holds."""
        return {
            "classification": self.classification,
            "levels": list(self.levels),
            "grade": self.grade,
            "height_loss_percent": self.height_loss_percent,
            "matches": [
                {"text": m.text, "start": m.start, "end": m.end, "class": m.cls, "levels": list(m.levels), "age": m.age}
                for m in self.matches
            ],
        }

    def phrases(self, cls: str) -> tuple[str, ...]:
        """Matched texts of one class, in order, de-duplicated case-insensitively."""
        seen: set[str] = set()
        out: list[str] = []
        for m in self.matches:
            if m.cls == cls:
                key = m.text.casefold()
                if key not in seen:
                    seen.add(key)
                    out.append(m.text)
        return tuple(out)


NOTHING_FOUND = ReportScreen(classification="none", matches=(), levels=(), grade=None, height_loss_percent=None)
