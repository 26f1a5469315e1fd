"""Walking the audit hash chain (``manage.py audit_verify``, docs/audit.md)."""

from __future__ import annotations

from dataclasses import dataclass

from . import chain
from .models import AuditChainHead, AuditEvent, chain_key


class ChainBroken(Exception):
    """The chain does not hold: the message names the first event (by seq and id) where it breaks, and how."""


@dataclass(frozen=True)
class Verified:
    events: int
    seq: int
    hash: str


def chain_verify(*, expect: list[tuple[int, str]] = ()) -> Verified:  # type: ignore[assignment]
    """Check every event in order, then the head and the checkpoints; raise ChainBroken at the first fault."""
    key = chain_key()
    unchained = AuditEvent.objects.filter(seq__isnull=True).order_by("id").first()
    if unchained is not None:
        raise ChainBroken(
            f"event id {unchained.pk} ({unchained.event}, {unchained.created_at:%Y-%m-%d %H:%M:%S}) has no place in "
            "the chain: it was inserted outside the service"
        )
    wanted = dict(expect)
    seen: dict[int, str] = {}
    count, prev_seq, prev_hash = 0, 0, chain.GENESIS
    for event in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=2000):
        where = f"event seq {event.seq} (id {event.pk}, {event.event})"
        if event.seq == prev_seq:
            raise ChainBroken(f"{where} repeats seq {event.seq}: an event was inserted")
        if event.seq != prev_seq + 1:
            missing = prev_seq + 1
            upto = f"-{event.seq - 1}" if event.seq - 1 > missing else ""
            raise ChainBroken(f"event seq {missing}{upto} is missing (before id {event.pk}): events were removed")
        recomputed = chain.digest(
            seq=event.seq,
            created_at=event.created_at,
            prev_hash=event.prev_hash or "",
            content=event.content(),
            key=key,
        )
        if recomputed != event.hash:
            raise ChainBroken(f"{where} was altered: its content no longer matches its hash")
        if event.prev_hash != prev_hash:
            raise ChainBroken(
                f"{where} does not link to event seq {prev_seq}: an event was inserted, or one was rewritten with a "
                "recomputed hash"
            )
        if event.seq in wanted:
            seen[event.seq] = event.hash
        count, prev_seq, prev_hash = count + 1, event.seq, event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, chain.GENESIS)
    if (head_seq, head_hash) != (prev_seq, prev_hash):
        if head_seq > prev_seq:
            raise ChainBroken(
                f"the chain ends at seq {prev_seq} but its head records seq {head_seq}: events after seq {prev_seq} "
                "were removed (or the log was truncated)"
            )
        raise ChainBroken(f"the chain head (seq {head_seq}) does not match the last event (seq {prev_seq})")
    for seq, digest in expect:
        if seq not in seen:
            raise ChainBroken(f"checkpoint {seq} is gone: the chain holds {prev_seq} events, and not that one")
        if seen[seq] != digest:
            raise ChainBroken(f"checkpoint {seq} no longer matches: the chain up to it was rewritten")
    return Verified(events=count, seq=prev_seq, hash=prev_hash)
