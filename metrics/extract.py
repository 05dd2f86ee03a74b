"""Extraction of WeChat metric observations from (raw or normalized) article text.

``extract_metrics(text, catalog=None)`` finds every quantity, binds it to a measure (the catalog's
`before`/`after` phrases within its clause) and a subject (a product named in the clause, the
sentence or the preceding text, agreeing with the measure), and returns one ``Observation`` per
mention. Figures of other companies, dates, durations, vague amounts, hypotheticals, plans and
numbers next to mojibake are skipped. Uncatalogued WeChat figures come out with ``metric=None``.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import asdict, dataclass
from datetime import date

from wxwatch.metrics.binding import (
    CARRY_CHARS,
    MeasureHit,
    Mention,
    after_hit,
    before_hit,
    choose_measure,
    dangling_hit,
    distributed_measures,
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
    is_limit,
    is_question,
    rate_before,
    rate_right_after,
    sentence_spans,
)

logger = logging.getLogger(__name__)

_NOT_AFTER = tuple("第")
_NOT_BEFORE = tuple("版代级线期届号楼路") + (".", "-", "/")
# a threshold inside a measure: "交易额突破千万元的小程序数量", "占比超过50%的商户比例"
_THRESHOLD = re.compile(r"(?:以上|以下)?的[^,。;!?\d]{0,8}?(?:数量|个数|总数|数目|占比|比例|比重)")


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
    subject: str
    metric_id: str | None
    family: str
    restates: bool = False  # a precise value restating the previous bound figure


class _Document:
    """Per-text indexes shared by every quantity: product mentions, mojibake spans, measure memory."""

    def __init__(self, text: str, catalog: Catalog, period_context: PeriodContext | None = None) -> None:
        self.text = text
        self.catalog = catalog
        self.period_context = period_context
        self.mentions = find_mentions(text, catalog)
        self.mention_starts = [m.start for m in self.mentions]
        self.mojibake = find_mojibake(text)
        self.memory: dict[str, Measure] = {}
        self.distributed: dict[int, MeasureHit] = {}  # number start -> measure paired by 分别 (per sentence)

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The mentions starting in [start, end), in order (binary search keeps extraction linear)."""
        low = bisect.bisect_left(self.mention_starts, start)
        return self.mentions[low : bisect.bisect_left(self.mention_starts, end, low)]


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
    if _THRESHOLD.match(doc.text, q.end):
        return False
    return not touches(doc.mojibake, q.start, q.end)


def _subject_right_before(doc: _Document, q: Quantity, clause: Span) -> Mention | None:
    """A product named immediately before the number ("微信12.061亿")."""
    if not any(mag in q.unit for mag in "万亿"):
        return None
    for mention in reversed(doc.mentions_between(clause.start, q.start)):
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


_CLAUSE_TAIL = re.compile(r"(?:以上|左右|上下|\+)?(?:$|[(\"”」]|同比|环比|较|相比|比)")


_GROWTH_CUE = re.compile(r"增长率|增速|增幅|涨幅|同比增长|同比上涨|同比提升")
# a number defined after it: "1000万是指企业微信上的真实企业与组织数"
_COPULA = re.compile(r"(?:是指|指的是|指|是|代表(?:的是)?|即)")


_GAP_WORDS = re.compile(
    r"(?:已经|已|目前|仍|都|也|共|累计|总计|合计|超过|突破|达到|达|为|是|有|近|约|超|逾|过|了|的|\s)*"
)
_NOUN_AFTER = re.compile(r"(?!以上|以下|左右|上下|大关|关口|同比|环比|较|相比)[\u4e00-\u9fff]{2}")


def _counts_its_own_noun(doc: _Document, q: Quantity, before: MeasureHit, window: Span) -> bool:
    """"创作者积累了80多万粉丝": a verb after the measure and a noun of its own after the number."""
    gap = doc.text[before.end : q.start]
    return _GAP_WORDS.fullmatch(gap) is None and _NOUN_AFTER.match(doc.text, q.end, window.end) is not None


def _ends_clause(doc: _Document, q: Quantity, clause: Span) -> bool:
    """The number closes its clause (no noun of its own follows: "已达到12.5亿", not "选用25种模板")."""
    return _CLAUSE_TAIL.match(doc.text[q.end : clause.end].strip()) is not None


def _measure_hit(doc: _Document, q: Quantity, clause: Span, window: Span, reach: int
                 ) -> tuple[MeasureHit | None, bool]:
    """(measure, dangling): stated in the window (before or after the number), else left dangling just before."""
    if q.start in doc.distributed:
        return doc.distributed[q.start], False
    rate = rate_before(doc.text, reach, q.start) or rate_right_after(doc.text, q.end, window.end)
    starts = (q.end, q.end - len(q.counter)) if q.counter else (q.end,)
    before = before_hit(doc.text, window.start, q.start, doc.catalog, rate)
    after = after_hit(doc.text, starts, window.end, doc.catalog, rate)
    if before and not after and _counts_its_own_noun(doc, q, before, window):
        before = None
    hit = choose_measure(before, after)
    if hit is None and (copula := _COPULA.match(doc.text, q.end, window.end)):
        return before_hit(doc.text, copula.end(), window.end, doc.catalog, rate), False
    if hit is None and window.start == clause.start and reach < clause.start and _ends_clause(doc, q, clause):
        return dangling_hit(doc.text, reach, clause.start, doc.catalog, rate), True
    return hit, False


def _bind(doc: _Document, q: Quantity, sentence: Span, window: Span, reach: int, previous: _Bound | None
          ) -> _Bound | None:
    """Measure and subject for one quantity, or None when it names no WeChat measure.

    `window` is the part of the clause between the neighbouring quantities (the number inside it);
    `reach` is where the sentence's previous quantity ends (a dangling measure may lie between)."""
    family = _family(q)
    if family is None:
        return None
    clause = clause_span(doc.text, sentence, q.start)
    hit, dangling = _measure_hit(doc, q, clause, window, reach)
    if hit is None:
        return _inherit(doc, q, clause, family, previous)
    if dangling and family == "ratio" and _GROWTH_CUE.search(doc.text, hit.start, clause.start):
        family = "growth"  # "GMV年增长率，据披露，达47%": the change was named with the measure
    anchor = _Anchor(q.start, q.end, clause)
    if dangling:  # the subject is looked for around the measure, not across the clauses in between
        anchor = _Anchor(hit.start, hit.start, clause_span(doc.text, sentence, hit.start))
    bound = _bind_measure(doc, q, hit, family, anchor, sentence)
    if dangling and (bound is None or bound.metric_id is None):
        return _inherit(doc, q, clause, family, previous) or bound
    return bound


@dataclass(frozen=True)
class _Anchor:
    """Where subjects are looked for: around the number, or around a dangling measure."""

    start: int
    end: int
    clause: Span


def _bind_measure(doc: _Document, q: Quantity, hit: MeasureHit, family: str, anchor: _Anchor, sentence: Span
                  ) -> _Bound | None:
    """The subject (and metric) of a quantity whose measure is known."""
    excluded = (max(hit.start, anchor.end), hit.end) if hit.end > anchor.end else (hit.start, hit.end)
    nearby = doc.mentions_between(sentence.start - CARRY_CHARS, sentence.end)
    candidates = subject_candidates(doc.text, nearby, (anchor.start, anchor.end),
                                    (anchor.clause.start, anchor.clause.end), sentence.start, excluded)
    subject, metric, family = _metric_for(doc, candidates, hit.measure, family, q, sentence.start)
    if subject is None:
        return None
    if family == "level":
        doc.memory[subject] = hit.measure
    return _Bound(q, hit.measure, hit.phrase, subject, metric.id if metric else None, family)


# words a growth clause may carry and still continue the previous figure ("，较上年同期仍实现增长2%")
_CONTINUATION_WORDS = re.compile(
    r"(?:较|比|相比|相较|与|和)?于?(?:上年|去年|前一年|上一年|一年前|同期|(?:19|20)\d\d年)*(?:同期)?(?:相比)?"
    r"|同比|环比|按年|年|增长率|增长|上涨|提升|提高|增加|上升|增幅|涨幅|增速|下降|减少|下滑|回落"
    r"|并|且|而且|仍|仍然|继续|再次|进一步|已经|已|也|实现|录得|达到|达|超过|超|近|约|了|的|为|是"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _names_something_else(clause_prefix: str) -> bool:
    """A growth clause naming its own thing ("日均上传量同比增长100%") does not continue the previous figure."""
    return len(_CJK.findall(_CONTINUATION_WORDS.sub("", clause_prefix))) >= 2


# "同比增长3%至13.82亿": the level the growth led to
_GROWTH_TO_LEVEL = re.compile(r"(?:至|到|达到|达)(?:人民币)?")
_RESTATING_VERB = re.compile(r"(?:已经|已|目前|具体|实际|约|为|达到|达|至|是)*$")


def _restates(doc: _Document, q: Quantity, clause: Span, previous: _Bound | None) -> bool:
    """A precise figure right after a bound of the same sentence ("已超过13亿，达13.36亿")."""
    if previous is None or previous.family != "level" or previous.quantity.qualifier not in (">", ">=", "~"):
        return False
    if q.qualifier != "=" or not _RESTATING_VERB.fullmatch(doc.text, clause.start, q.start):
        return False
    return q.kind == previous.quantity.kind and q.value >= previous.quantity.value * 0.9


def _continuing(doc: _Document, q: Quantity, previous: _Bound, family: str, restates: bool = False) -> _Bound:
    """`q` stated with the previous figure's subject and measure (as a growth, a level, or a precise restatement)."""
    metric = doc.catalog.lookup(previous.subject, previous.measure.key, family)
    return _Bound(q, previous.measure, previous.phrase, previous.subject, metric.id if metric else None, family,
                  restates)


def _inherit(doc: _Document, q: Quantity, clause: Span, family: str, previous: _Bound | None) -> _Bound | None:
    """No measure stated: a growth continues the previous figure of the sentence ("…7亿，较前一年上涨20%");
    a bare figure right after a product name repeats that product's last measure ("微信12.061亿")."""
    if previous is not None and family == "growth" and previous.family == "level" \
            and not _names_something_else(doc.text[max(clause.start, previous.quantity.end) : q.start]):
        return _continuing(doc, q, previous, family)
    if previous is not None and family == "level" and previous.family == "growth" \
            and _GROWTH_TO_LEVEL.fullmatch(doc.text, previous.quantity.end, q.start):
        return _continuing(doc, q, previous, family)
    if previous is not None and family == "level" and _restates(doc, q, clause, previous):
        return _continuing(doc, q, previous, family, restates=True)
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
    if metric is not None and not metric.allows(value):
        logger.debug("%s: %s is implausible, kept uncatalogued", metric.id, value)
        metric = None
    rate = rate_before(doc.text, sentence.start, q.start)
    measure = metric.measure if metric else (bound.phrase or bound.measure.label)
    return Observation(
        metric=metric.id if metric else None,
        subject=doc.catalog.labels.get(bound.subject, bound.subject),
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
    found: list[Observation] = []
    previous: _Bound | None = None
    doc.distributed = distributed_measures(doc.text, sentence.start, sentence.end,
                                           [(q.start, q.end) for q in quantities], doc.catalog)
    for index, q in enumerate(quantities):
        clause = clause_span(doc.text, sentence, q.start)
        if is_future(doc.text[clause.start : q.start]) or is_limit(doc.text[clause.start : q.start]):
            continue
        reach = max([sentence.start] + [p.end for p in quantities[:index] if p.end <= q.start])
        left = max(clause.start, reach)
        right = min([clause.end] + [n.start for n in quantities[index + 1 :] if n.start >= q.end])
        bound = _bind(doc, q, sentence, Span(left, right), reach, previous) if right >= q.end else None
        if bound is None:
            continue
        if bound.restates and found:
            found.pop()  # "已超过12亿，达12.25亿": the precise value replaces the bound
        previous = bound
        found.append(_observation(doc, bound, sentence))
    return found


def extract_metrics(text: str, catalog: Catalog | None = None, *, title: str | None = None,
                    published: date | None = None) -> list[Observation]:
    """Observations of WeChat metrics in a text (raw HTML/post/plain text, or already normalized).

    `title` and `published` (the article's headline and date) help resolve each figure's period."""
    return extract_normalized(normalize_text(text), catalog, title=title, published=published)


def extract_normalized(normalized: str, catalog: Catalog | None = None, *, title: str | None = None,
                       published: date | None = None) -> list[Observation]:
    """Observations in text that `normalize_text` already produced (a caller that normalised once, offsets
    index into `normalized`); `extract_metrics` for any other text."""
    catalog = catalog or load_catalog()
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
