"""Radiology-report screener: does the report text describe a vertebral fracture?

Reads ``spine_imaging.report_text`` (free text, up to 20,000 characters) and classifies it as
``urgent`` (possible non-osteoporotic cause), ``explicit`` (states a vertebral fracture), ``probable``
(hidden fracture wording such as wedging, loss of height or collapse) or ``none``. The phrase classes,
negation, exclusions, mimics, urgent features, age qualifiers and Genant grades follow
shared/clinical/identification.md section 6.

Pure standard library, no Django. Every pattern is precompiled and uses only bounded repetition around
literal words (no nested unbounded quantifiers, so no catastrophic backtracking). Phrase patterns are
searched only in windows around their keywords, and cue patterns (negation, hedging, age) only where a
word they can start with begins, so the screener is linear in the length of the report and never raises
on any ``str`` input. A pathological text with more than 500 phrase matches is screened on its first 500
of each kind (urgent features first).

How it works, in order:

0. Drop wording that is about fracture risk ("probability of major osteoporotic fracture", "fracture
   liaison service") or a request ("to exclude fracture"), and the clinical request itself
   ("Clinical details: back pain ?fracture", to the end of its sentence or a findings heading), except an
   urgent feature it states ("Known myeloma"; not a queried or negated one).
1. Split the text into sentences (``.``, ``!``, ``?``, line breaks, bullets; not at decimals such as
   ``2.5`` or abbreviations such as ``approx.`` or ``e.g.``) and the sentences into clauses (``;``,
   ``:``, ``but``, ``however``, ``although``, ``though``, ``whereas``, ``except`` ...), which bound the
   scope of negation and hedging.
2. Find vertebral levels (T1-T12, L1-L5, D1-D12 read as T; ranges and lists; never MRI sequence names
   such as ``T1-weighted`` or ``T2 hyperintense``) and vertebral words (vertebra, spine, ...).
3. Find candidate phrases of every class, keep the longest where they overlap (so ``cord compression``
   is urgent, not the hidden-fracture word ``compression``; ``disc height loss`` is an exclusion, not
   ``height loss``).
4. Fracture wording (explicit, probable) counts only with vertebral context: a level or vertebral word
   in the same sentence, a vertebral section heading ("LUMBAR SPINE"), or a fracture finding in the
   sentence just before; never when the fracture is of another bone (rib, hip, wrist, sacrum ...).
5. Hedged explicit wording ("possible", "?", "query", "likely", "cannot be excluded") is probable;
   wording in a negation scope ("no", "without", "no evidence of", "... is not seen") is negated. Scope
   ends at the clause, and at "there is", ", the old ...", "of the known ..."; "no change in" and "no
   previous imaging" do not negate.
6. Age: the nearest qualifier in the clause, else the sentence (old, chronic, healed, unchanged ... or
   acute, new, recent, marrow oedema, STIR hyperintensity). Grade: the highest Genant grade stated with a
   fracture. Percentage: the highest percentage next to fracture wording.

The modules, in the order they build on each other: ``result`` (what is returned), ``text`` (pattern building
blocks), ``levels``, ``anatomy`` (vertebral context and other bones), ``phrases`` (the pattern table and candidates),
``cues`` (negation, hedging, age), ``sentences`` (sentences, clauses, headings, the clinical request),
``measures`` (grade and height loss) and ``screen``, which puts them together.
"""

from .._compiled import use_compiled

use_compiled(__path__, "report")  # the compiled modules when the build is current (ADR 0003)

from .result import CLASSES, ReportMatch, ReportScreen  # noqa: E402 - after the build is chosen
from .screen import screen_report  # noqa: E402

__all__ = ["CLASSES", "ReportMatch", "ReportScreen", "screen_report"]
