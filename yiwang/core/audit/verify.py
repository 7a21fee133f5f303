"""Verifying the audit trail: walk every chain and the anchor chain, name every tampered row.

What is found, and how it is named (``Problem.kind``):

* ``edited`` — a row whose content no longer matches its hash, a row rewritten together with its hash
  (the next row links to another hash), or a row whose hash differs from an anchored head;
* ``inserted`` — a row that is not part of the chain: past the recorded head, or squeezed in with the
  later rows renumbered (the next original row still links past it);
* ``deleted`` — rows missing in the middle (a gap in the sequence, or later rows renumbered down to
  close it), at the end (the head or an anchor remembers more rows), or anchored rows that are gone;
* ``renumbered`` — later rows whose only change is their sequence number (reported once per chain);
* ``head`` — a chain head whose hash does not match its last row; ``anchor`` — an altered anchor.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from .hashing import GENESIS, anchor_hash, event_hash
from .models import AuditAnchor, AuditChainHead, AuditEvent

LOOKBACK = 256  # rows remembered per chain to recognise an insertion
MAX_RENUMBER = 64  # the largest renumbering shift tried when a row's hash fails


@dataclass
class Problem:
    chain: int | None
    seq: int | None
    row_id: int | None
    kind: str  # edited | inserted | deleted | renumbered | head | anchor
    detail: str

    def __str__(self) -> str:
        where = f"chain {self.chain} seq {self.seq}" if self.chain is not None else "anchors"
        rid = f" (row id {self.row_id})" if self.row_id else ""
        return f"{self.kind}: {where}{rid}: {self.detail}"


@dataclass
class VerifyReport:
    rows: int = 0
    chains: int = 0
    anchors: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(progress=None) -> VerifyReport:
    """Walk every chain and the anchors; ``progress(chain, report)`` is called after each chain."""
    report = VerifyReport()
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    anchored: dict[int, dict[int, str]] = {}
    _verify_anchors(report, anchored)
    chains = sorted(set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct()))
    for chain in chains:
        report.chains += 1
        _ChainWalk(report, chain, heads.get(chain), anchored.get(chain, {})).run()
        if progress:
            progress(chain, report)
    return report


def _hash_of(row, seq: int | None = None) -> str | None:
    try:
        return event_hash(row, seq=seq)
    except ValueError:  # unknown algorithm: the row's algorithm field was changed
        return None


class _ChainWalk:
    def __init__(self, report: VerifyReport, chain: int, head, anchored: dict[int, str]):
        self.report, self.chain, self.head, self.anchored = report, chain, head, anchored
        self.prev_hash = GENESIS
        self.prev_row = None
        self.expected_seq = 1
        self.shift = 0  # current renumbering: stored seq - original seq
        self.renumbered = 0
        self.first_renumbered = None
        self.recent: OrderedDict[str, AuditEvent] = OrderedDict()  # stored hash -> row

    def problem(self, seq, row_id, kind, detail) -> None:
        self.report.problems.append(Problem(self.chain, seq, row_id, kind, detail))

    def run(self) -> None:
        rows = AuditEvent.objects.filter(chain=self.chain).order_by("seq", "id")
        for row in rows.iterator(chunk_size=5000):
            self.report.rows += 1
            self.step(row)
        self.finish()

    def content_ok(self, row) -> bool:
        if _hash_of(row) == row.hash:
            return True
        if self.shift and _hash_of(row, row.seq - self.shift) == row.hash:
            self.count_renumbered(row)
            return True
        return False

    def count_renumbered(self, row) -> None:
        self.renumbered += 1
        if self.first_renumbered is None:
            self.first_renumbered = row

    def step(self, row) -> None:
        if row.seq < self.expected_seq:
            self.problem(row.seq, row.id, "inserted", "duplicate sequence number")
            return
        ok = self.content_ok(row)
        if row.seq > self.expected_seq:
            self.problem(self.expected_seq, None, "deleted", f"rows {self.expected_seq}–{row.seq - 1} are missing")
        elif row.prev_hash != self.prev_hash:
            ok = self.explain_broken_link(row, ok)
        if not ok:
            self.problem(row.seq, row.id, "edited", "content does not match its hash")
        original_seq = row.seq - self.shift
        if original_seq in self.anchored and self.anchored[original_seq] != row.hash:
            self.problem(row.seq, row.id, "edited", "hash differs from the anchored head")
        self.remember(row)

    def explain_broken_link(self, row, ok: bool) -> bool:
        """The row does not link to its predecessor: find out what happened between them."""
        linked = self.recent.get(row.prev_hash)
        if linked is not None:
            # the row links to an earlier row: the rows in between were inserted, later rows renumbered
            inserted = [r for r in self.recent.values() if r.seq > linked.seq]
            shift = row.seq - linked.seq - 1 + self.shift
            if inserted and (ok or _hash_of(row, row.seq - shift) == row.hash):
                self.report.problems[:] = [p for p in self.report.problems if p.row_id not in {r.id for r in inserted}]
                for r in inserted:
                    self.problem(r.seq, r.id, "inserted", "not part of the chain: the next original row links past it")
                if shift != self.shift:
                    self.shift = shift
                    if not ok:
                        self.count_renumbered(row)
                return True
        if not ok:
            for d in range(1, MAX_RENUMBER + 1):  # rows deleted before this one, later rows renumbered down
                if _hash_of(row, row.seq + d) == row.hash:
                    self.problem(row.seq, row.id, "deleted", f"{d} row(s) before this one are missing")
                    self.shift -= d
                    self.count_renumbered(row)
                    return True
            return False
        if self.prev_row is not None:
            # this row is intact, so the previous row was rewritten together with its hash
            prev = self.prev_row
            self.problem(prev.seq, prev.id, "edited", "rewritten with a new hash: the next row links to another")
        else:
            self.problem(row.seq, row.id, "inserted", "does not link to the start of the chain")
        return True

    def remember(self, row) -> None:
        self.prev_hash = row.hash
        self.prev_row = row
        self.expected_seq = row.seq + 1
        self.recent[row.hash] = row
        if len(self.recent) > LOOKBACK:
            self.recent.popitem(last=False)

    def finish(self) -> None:
        if self.renumbered:
            first = self.first_renumbered
            self.problem(first.seq, first.id, "renumbered", f"{self.renumbered} row(s) renumbered by {self.shift:+d}")
        last_seq = self.expected_seq - 1
        original_last = last_seq - self.shift
        head = self.head
        # an honest head matches the stored numbering; after a renumbering it may match either numbering
        if head is not None and head.seq > max(last_seq, original_last):
            first_missing = max(last_seq, original_last) + 1
            self.problem(first_missing, None, "deleted", f"rows {first_missing}–{head.seq} at the end are missing")
        elif head is not None and head.seq < min(last_seq, original_last):
            past = AuditEvent.objects.filter(chain=self.chain, seq__gt=head.seq).order_by("seq")
            for row in past:
                self.problem(row.seq, row.id, "inserted", f"past the recorded head (seq {head.seq})")
        elif head is not None and last_seq and head.hash != self.prev_hash:
            last_id = self.prev_row.id if self.prev_row is not None else None
            self.problem(last_seq, last_id, "head", "the chain head's hash does not match the last row's")
        for seq in sorted(self.anchored):
            if seq > original_last:
                self.problem(seq, None, "deleted", "an anchored row is missing")


def _verify_anchors(report: VerifyReport, anchored: dict[int, dict[int, str]]) -> None:
    prev = GENESIS
    for anchor in AuditAnchor.objects.order_by("id").iterator():
        report.anchors += 1
        if anchor.prev_hash != prev or anchor_hash(anchor) != anchor.hash:
            report.problems.append(Problem(None, None, anchor.id, "anchor", f"anchor {anchor.id} was altered"))
        for chain, (seq, hash_) in anchor.heads.items():
            if seq:
                anchored.setdefault(int(chain), {})[int(seq)] = hash_
        prev = anchor.hash
