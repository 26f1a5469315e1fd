"""The only thing the self-check stores, and only when the person asks for it: their answers under a short code, for
7 days, with no name, NHS number, date of birth or anything else that identifies them."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.utils import timezone

CODE_DAYS = 7
# No 0/O, 1/I/L: a code read out over the phone or typed from paper is not misread.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch in ALPHABET)
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""


class SelfCheckCode(models.Model):
    code = models.CharField(max_length=9, unique=True)
    answers = models.JSONField(help_text="The self-check's answers (choices only, never free text or identifiers).")
    outcome = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Self-check {self.code} ({self.outcome})"

    @classmethod
    def expiry(cls, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(days=CODE_DAYS)
