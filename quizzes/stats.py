"""The tests a CME reviewer expects, on counts the database has already aggregated.

McNemar's test on each question's matched 2×2 table (exact binomial when fewer than
25 readers changed their answer, χ² with continuity correction otherwise), a sign
test on readers' per-objective sub-scores, and for the quiz as a whole the paired
change in score with Wilcoxon's signed-rank test, a paired t test and an effect size.
The arithmetic is scipy's; this module only feeds it.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

EXACT_BELOW = 25  # discordant pairs; the usual rule for McNemar's test


@dataclass(frozen=True)
class McNemar:
    method: str  # "exact" or "chi2"
    changed: int  # discordant pairs: readers whose answer went right→wrong or wrong→right
    statistic: float | None  # χ² with continuity correction; None for the exact test
    p: float

    @property
    def method_label(self):
        from django.utils.translation import gettext

        if self.method == "exact":
            return gettext("exact binomial")
        return gettext("χ² with continuity correction")


def mcnemar_chi2(right_to_wrong, wrong_to_right, correction=True):
    """McNemar's χ² (1 degree of freedom), with Edwards' continuity correction by default."""
    b, c = right_to_wrong, wrong_to_right
    return (abs(b - c) - (1 if correction else 0)) ** 2 / (b + c)


def mcnemar(right_to_wrong, wrong_to_right):
    """McNemar's test on the discordant cells of a matched 2×2 table; None without them."""
    changed = right_to_wrong + wrong_to_right
    if not changed:
        return None
    if changed < EXACT_BELOW:
        p = stats.binomtest(wrong_to_right, changed, 0.5).pvalue
        return McNemar("exact", changed, None, min(1.0, float(p)))
    statistic = mcnemar_chi2(right_to_wrong, wrong_to_right)
    return McNemar("chi2", changed, statistic, float(stats.chi2.sf(statistic, 1)))


def sign_test(improved, worsened):
    """Two-sided exact sign test: did more readers improve than got worse? None if neither."""
    if not improved + worsened:
        return None
    return float(stats.binomtest(improved, improved + worsened, 0.5).pvalue)


@dataclass(frozen=True)
class PairedChange:
    n: int
    mean_before: float
    mean_after: float
    mean_change: float
    sd_change: float | None
    ci_low: float | None  # 95 % confidence interval of the mean change (t distribution)
    ci_high: float | None
    wilcoxon_p: float | None  # Wilcoxon signed-rank test, zero differences dropped
    t_p: float | None  # paired t test
    effect_size: float | None  # Cohen's d_z: mean change / SD of the changes
    rank_biserial: float | None  # matched-pairs rank-biserial correlation


def paired_change(table):
    """Paired analysis from {(score before, score after): readers}; None without pairs.

    Scores are small integers, so the database returns this table instead of one row
    per reader; the per-reader differences are rebuilt here for scipy.
    """
    table = {key: n for key, n in table.items() if n}
    n = sum(table.values())
    if not n:
        return None
    before = np.repeat([b for b, _a in table], list(table.values())).astype(float)
    after = np.repeat([a for _b, a in table], list(table.values())).astype(float)
    change = after - before
    mean_change = float(change.mean())
    sd = float(change.std(ddof=1)) if n > 1 else None
    ci_low = ci_high = t_p = effect = None
    if sd:  # a zero or undefined spread leaves the t test and d_z undefined
        half_width = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
        ci_low, ci_high = mean_change - half_width, mean_change + half_width
        t_p = float(stats.ttest_1samp(change, 0.0).pvalue)
        effect = mean_change / sd
    wilcoxon_p = rank_biserial = None
    nonzero = change[change != 0]
    if nonzero.size:
        wilcoxon_p = float(stats.wilcoxon(nonzero, method=_wilcoxon_method(nonzero)).pvalue)
        ranks = stats.rankdata(np.abs(nonzero))
        positive, negative = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
        rank_biserial = float((positive - negative) / (positive + negative))
    return PairedChange(
        n=n,
        mean_before=float(before.mean()),
        mean_after=float(after.mean()),
        mean_change=mean_change,
        sd_change=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        wilcoxon_p=wilcoxon_p,
        t_p=t_p,
        effect_size=effect,
        rank_biserial=rank_biserial,
    )


def _wilcoxon_method(differences):
    """Exact for small samples without tied magnitudes; the normal approximation otherwise."""
    magnitudes = np.abs(differences)
    if differences.size <= 50 and np.unique(magnitudes).size == magnitudes.size:
        return "exact"
    return "approx"
