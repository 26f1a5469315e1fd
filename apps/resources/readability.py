"""Readability of every patient-facing text block (the target: Flesch reading ease >= 60, Flesch-Kincaid grade <= 8).

Measured with textstat (a dev dependency: tests/resources/test_content.py and ``manage.py resources_docs``, which
writes the table into docs/resources.md). Blocks are measured in English, as written; headings and citations are
not prose and are left out (content.block_sentences).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from . import content, decision_aid

READING_EASE_MIN = 60
GRADE_MAX = 8


@dataclass(frozen=True)
class Score:
    page: str
    block: str
    words: int
    reading_ease: float
    grade: float

    @property
    def passes(self) -> bool:
        return self.reading_ease >= READING_EASE_MIN and self.grade <= GRADE_MAX


def patient_blocks() -> list[tuple[str, str, str]]:
    """(page, block id, text) for every block a patient reads, with the personalised parts at their longest."""
    with translation.override("en-gb"):
        blocks = [("leaflet", s.id, content.section_text(s)) for s in content.SECTIONS]
        every_factor = " ".join(f"{w}." for w in (content.MENOPAUSE_WORDS, *content.RISK_FACTOR_WORDS.values()))
        blocks += [
            ("leaflet", "yours-none", str(content.YOURS_NONE)),
            ("leaflet", "yours-ask", f"{content.YOURS_ASK} {every_factor}"),
            ("leaflet", "footer", str(content.LEAFLET_FOOT)),
        ]
        blocks += [("decision aid", key, text) for key, text in decision_aid.text_blocks().items()]
        from apps.selfcheck import content as selfcheck

        blocks += [("self-check", key, text) for key, text in selfcheck.text_blocks().items()]
    return blocks


def scores() -> list[Score]:
    import textstat  # dev dependency: only tests and the docs command measure

    return [
        Score(
            page,
            block,
            textstat.lexicon_count(text),
            round(textstat.flesch_reading_ease(text), 1),
            round(textstat.flesch_kincaid_grade(text), 1),
        )
        for page, block, text in patient_blocks()
    ]


def table_markdown() -> str:
    lines = [
        "| page | block | words | Flesch reading ease (>= 60) | Flesch-Kincaid grade (<= 8) |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {s.page} | {s.block} | {s.words} | {s.reading_ease} | {s.grade} |" for s in scores()]
    return "\n".join(lines)
