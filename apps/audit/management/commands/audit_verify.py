"""python manage.py audit_verify [--expect SEQ:HASH ...]: walk the audit hash chain (docs/audit.md).

Exit 0 and one checkpoint line (the number of events, the last seq and its hash; also written to the log, so the
log output keeps a published copy outside the database). Exit 1 naming the first event that is missing, altered
or inserted, or a checkpoint the chain no longer holds. Read-only, except that refusal tallies whose minute is over
are written to the log first (apps/audit/refusals.py).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.audit.refusals import refusals_flush
from apps.audit.verify import ChainBroken, chain_verify

logger = logging.getLogger("spineprompt.audit.checkpoint")
BROKEN = 1


def _checkpoint(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(f"--expect must be SEQ:HASH (a number, a colon, 64 hex digits), not {text!r}")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 naming the first missing, altered or inserted event."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="a checkpoint printed by an earlier run: the chain must still hold this event with this hash",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expected = [_checkpoint(t) for t in options["expect"]]
        refusals_flush()
        try:
            result = chain_verify(expect=expected)
        except ChainBroken as exc:
            sys.stderr.write(f"audit chain BROKEN: {exc}\n")
            logger.error("audit chain broken: %s", exc)
            raise SystemExit(BROKEN) from None
        line = f"audit chain OK: {result.events} events; checkpoint {result.seq}:{result.hash}"
        self.stdout.write(line)
        logger.info(line)
