"""Extraction of WeChat metric observations from (raw or normalized) article text.

``extract_metrics(text, catalog=None)`` finds every quantity, binds it to a measure (the catalog's
`before`/`after` phrases within its clause) and a subject (a product named in the clause, the
sentence or the preceding text, agreeing with the measure), and returns one ``Observation`` per
mention. Figures of other companies, dates, durations, vague amounts, hypotheticals, plans and
numbers next to mojibake are skipped. Uncatalogued WeChat figures come out with ``metric=None``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date

from wxwatch.metrics.binding import (
    Mention,
    after_hit,
    before_hit,
    choose_measure,
    find_mentions,
    resolve,
    subject_candidates,
)
from wxwatch.metrics.catalog import Catalog, Measure, Metric, load_catalog
from wxwatch.metrics.mojibake import find_mojibake, touches
from wxwatch.metrics.normalize import normalize_text
from wxwatch.metrics.periods import PeriodContext, resolve_period
from wxwatch.metrics.quantity import Quantity, find_quantities
from wxwatch.metrics.segment import (
    Span,
    clause_span,
    is_future,
    is_hypothetical,
    is_question,
    rate_before,
    sentence_spans,
)

logger = logging.getLogger(__name__)

_NOT_AFTER = tuple("第")
_NOT_BEFORE = tuple("版代级线期届号楼路") + (".", "-", "/")


@dataclass
class Observation:
    """One metric mention: catalog ID (or None), value and where it was stated."""

    metric: str | None
    subject: str
    measure: str
    value: float
    unit: str
    qualifier: str
    rate: str | None
    period: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Bound:
    """A quantity bound to a measure and subject (before turning into an Observation)."""

    quantity: Quantity
    measure: Measure
    phrase: str
    subject: str | None
    metric_id: str | None
    family: str


class _Document:
    """Per-text indexes shared by every quantity: product mentions, mojibake spans, measure memory."""

    def __init__(self, text: str, catalog: Catalog, period_context: PeriodContext | None = None) -> None:
        self.text = text
        self.catalog = catalog
        self.period_context = period_context
        self.mentions = find_mentions(text, catalog)
        self.mojibake = find_mojibake(text)
        self.memory: dict[str, Measure] = {}


def _family(quantity: Quantity) -> str | None:
    if quantity.kind in ("count", "money"):
        return "level"
    if quantity.change:
        return "growth"
    return "ratio" if quantity.kind == "percent" else None


def _is_candidate(doc: _Document, q: Quantity) -> bool:
    """A quantity that can carry a metric: not a date, duration, version, vague or garbled number."""
    if q.kind in ("time", "vague") or q.bare:
        return False
    before = doc.text[q.start - 1 : q.start] if q.start else ""
    after = doc.text[q.end : q.end + 1]
    if before in _NOT_AFTER or (after.startswith(_NOT_BEFORE) and not q.unit):
        return False
    return not touches(doc.mojibake, q.start, q.end)


def _subject_right_before(doc: _Document, q: Quantity, clause: Span) -> Mention | None:
    """A product named immediately before the number ("微信12.061亿")."""
    if not any(mag in q.unit for mag in "万亿"):
        return None
    for mention in reversed(doc.mentions):
        if clause.start <= mention.start and mention.end <= q.start and not doc.text[mention.end : q.start].strip():
            return mention
    return None


def _metric_for(doc: _Document, candidates: list[Mention], measure: Measure, family: str, q: Quantity,
                sentence_start: int) -> tuple[str | None, Metric | None, str]:
    """(subject, metric, family); a decline with no growth metric may state a ratio (被骗资金下降90%)."""
    subject, metric = resolve(candidates, measure, family, doc.catalog, sentence_start)
    if metric is None and subject and family == "growth" and q.change == "down":
        ratio_subject, ratio_metric = resolve(candidates, measure, "ratio", doc.catalog, sentence_start)
        if ratio_metric:
            return ratio_subject, ratio_metric, "ratio"
    return subject, metric, family


def _bind(doc: _Document, q: Quantity, sentence: Span, window: Span, previous: _Bound | None) -> _Bound | None:
    """Measure and subject for one quantity, or None when it names no WeChat measure.

    `window` is the part of the clause between the neighbouring quantities (the number inside it)."""
    family = _family(q)
    if family is None:
        return None
    clause = clause_span(doc.text, sentence, q.start)
    rate = rate_before(doc.text, sentence.start, q.start)
    starts = (q.end, q.end - len(q.counter)) if q.counter else (q.end,)
    hit = choose_measure(before_hit(doc.text, window.start, q.start, doc.catalog, rate),
                         after_hit(doc.text, starts, window.end, doc.catalog, rate))
    if hit is None:
        return _inherit(doc, q, clause, family, previous)
    excluded = (max(hit.start, q.end), hit.end) if hit.end > q.end else (hit.start, hit.end)
    candidates = subject_candidates(doc.text, doc.mentions, (q.start, q.end), (clause.start, clause.end),
                                    sentence.start, excluded)
    subject, metric, family = _metric_for(doc, candidates, hit.measure, family, q, sentence.start)
    if subject is None:
        return None
    if family == "level":
        doc.memory[subject] = hit.measure
    return _Bound(q, hit.measure, hit.phrase, subject, metric.id if metric else None, family)


def _inherit(doc: _Document, q: Quantity, clause: Span, family: str, previous: _Bound | None) -> _Bound | None:
    """No measure stated: a growth continues the previous figure of the sentence ("…7亿，较前一年上涨20%");
    a bare figure right after a product name repeats that product's last measure ("微信12.061亿")."""
    if family == "growth" and previous is not None and previous.family == "level":
        metric = doc.catalog.lookup(previous.subject, previous.measure.key, "growth")
        return _Bound(q, previous.measure, previous.phrase, previous.subject, metric.id if metric else None, family)
    mention = _subject_right_before(doc, q, clause)
    if family == "level" and mention is not None and mention.kind in doc.memory:
        measure = doc.memory[mention.kind]
        metric = doc.catalog.lookup(mention.kind, measure.key, family)
        return _Bound(q, measure, "", mention.kind, metric.id if metric else None, family)
    return None


def _observation(doc: _Document, bound: _Bound, sentence: Span) -> Observation:
    q = bound.quantity
    metric = doc.catalog.metrics.get(bound.metric_id) if bound.metric_id else None
    value = abs(q.value) if bound.family == "ratio" else q.value
    rate = rate_before(doc.text, sentence.start, q.start)
    measure = metric.measure if metric else (bound.phrase or bound.measure.label)
    return Observation(
        metric=bound.metric_id,
        subject=doc.catalog.labels.get(bound.subject or "", bound.subject or ""),
        measure=measure,
        value=float(value),
        unit=q.unit,
        qualifier=q.qualifier,
        rate=(metric.rate if metric and metric.rate else None) or (rate if bound.family == "level" else None),
        period=resolve_period(doc.text, sentence.start, q.start, doc.period_context),
        text=doc.text[sentence.start : sentence.end].strip(),
        start=q.start,
        end=q.end,
    )


def _sentence_observations(doc: _Document, sentence: Span, quantities: list[Quantity]) -> list[Observation]:
    sentence_text = doc.text[sentence.start : sentence.end].strip()
    if is_hypothetical(sentence_text) or is_question(sentence_text, doc.text[sentence.end : sentence.end + 1]):
        return []
    found, previous = [], None
    for index, q in enumerate(quantities):
        clause = clause_span(doc.text, sentence, q.start)
        if is_future(doc.text[clause.start : q.start]):
            continue
        left = max([clause.start] + [p.end for p in quantities[:index] if p.end <= q.start and p.end > clause.start])
        right = min([clause.end] + [n.start for n in quantities[index + 1 :] if n.start >= q.end])
        bound = _bind(doc, q, sentence, Span(left, right), previous) if right >= q.end else None
        if bound is None:
            continue
        previous = bound
        found.append(_observation(doc, bound, sentence))
    return found


def extract_metrics(text: str, catalog: Catalog | None = None, *, title: str | None = None,
                    published: date | None = None) -> list[Observation]:
    """Observations of WeChat metrics in a text (raw HTML/post/plain text, or already normalized).

    `title` and `published` (the article's headline and date) help resolve each figure's period."""
    catalog = catalog or load_catalog()
    normalized = normalize_text(text)
    doc = _Document(normalized, catalog, PeriodContext(title or "", published))
    quantities = [q for q in find_quantities(normalized) if _is_candidate(doc, q)]
    observations: list[Observation] = []
    cursor = 0
    for sentence in sentence_spans(normalized):
        inside = []
        while cursor < len(quantities) and quantities[cursor].start < sentence.end:
            if quantities[cursor].start >= sentence.start:
                inside.append(quantities[cursor])
            cursor += 1
        if inside:
            observations += _sentence_observations(doc, sentence, inside)
    logger.debug("extracted %d observations", len(observations))
    return observations
