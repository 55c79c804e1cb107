"""The tests a CME reviewer expects, on counts the database has already aggregated.

McNemar's test on each question's matched 2×2 table (exact binomial when fewer than
25 readers changed their answer, χ² with continuity correction otherwise), a sign
test on readers' per-objective sub-scores, and for the quiz as a whole the paired
change in score with Wilcoxon's signed-rank test, a paired t test and effect sizes.
The arithmetic is scipy's, except Wilcoxon's exact distribution with tied ranks,
worked out here (scipy samples it at random, so a reload could change the P value).
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

EXACT_BELOW = 25  # discordant pairs; the usual rule for McNemar's test
WILCOXON_EXACT_UP_TO = 50  # non-zero differences; scipy's own threshold for "auto"


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


def effect_label(d):
    """Cohen's conventional label for a standardised mean difference (|d|: .2, .5, .8)."""
    if d is None:
        return ""
    size = abs(d)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"


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
    sd_before: float | None = None
    sd_after: float | None = None
    t: float | None = None  # the paired t statistic, n − 1 degrees of freedom
    wilcoxon_w: float | None = None  # W: the smaller of the positive and negative rank sums
    wilcoxon_method: str = ""  # "exact" or "normal approximation"
    d_av: float | None = None  # Cumming's d_av: mean change / mean of the two SDs
    improved: int = 0  # readers whose value rose, fell or held
    worsened: int = 0
    unchanged: int = 0

    @property
    def df(self):
        return self.n - 1

    @property
    def d_z(self):
        return self.effect_size

    @property
    def d_z_label(self):
        return effect_label(self.effect_size)

    @property
    def d_av_label(self):
        return effect_label(self.d_av)

    @property
    def relative_change(self):
        """The mean change as a share of the mean before, in per cent (None from zero)."""
        if not self.mean_before:
            return None
        return 100 * self.mean_change / self.mean_before


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
    sd = None
    if n > 1:
        # Equal changes have no spread; on pooled percentages rounding would leave a
        # spread of 1e-14, and a t test on it (scipy warns of catastrophic cancellation).
        sd = float(change.std(ddof=1)) if np.ptp(change) > 1e-9 else 0.0
    ci_low = ci_high = t_p = effect = t = d_av = None
    if sd:  # a zero or undefined spread leaves the t test and d_z undefined
        half_width = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
        ci_low, ci_high = mean_change - half_width, mean_change + half_width
        result = stats.ttest_1samp(change, 0.0)
        t, t_p = float(result.statistic), float(result.pvalue)
        effect = mean_change / sd
    sd_before = float(before.std(ddof=1)) if n > 1 else None
    sd_after = float(after.std(ddof=1)) if n > 1 else None
    if sd_before is not None and (sd_before + sd_after):
        d_av = mean_change / ((sd_before + sd_after) / 2)
    wilcoxon_p = rank_biserial = w = None
    method = ""
    nonzero = change[change != 0]
    if nonzero.size:
        ranks = stats.rankdata(np.abs(nonzero))
        positive, negative = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
        rank_biserial = float((positive - negative) / (positive + negative))
        w = float(min(positive, negative))
        if nonzero.size <= WILCOXON_EXACT_UP_TO:
            method, wilcoxon_p = "exact", wilcoxon_exact_p(ranks, positive)
        else:
            method = "normal approximation"
            wilcoxon_p = float(stats.wilcoxon(nonzero, method="asymptotic").pvalue)
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
        sd_before=sd_before,
        sd_after=sd_after,
        t=t,
        wilcoxon_w=w,
        wilcoxon_method=method,
        d_av=d_av,
        improved=int((change > 0).sum()),
        worsened=int((change < 0).sum()),
        unchanged=int((change == 0).sum()),
    )


def wilcoxon_exact_p(ranks, positive):
    """Two-sided exact P of Wilcoxon's signed-rank test given the (mid)ranks of |d|.

    Under the null hypothesis each rank is positive or negative with probability ½,
    independently: the distribution of the positive rank sum is counted over all 2ⁿ
    sign patterns, conditional on the ranks as observed, so tied ranks are exact too
    (scipy is exact only without ties and otherwise samples permutations at random).
    Midranks are multiples of ½, so twice each rank is an integer to add up.
    """
    doubled = [round(float(2 * r)) for r in ranks]
    counts = np.zeros(sum(doubled) + 1)
    counts[0] = 1.0  # at most 2⁵⁰ patterns: float64 counts them exactly
    for r in doubled:
        counts[r:] = counts[r:] + counts[:-r]  # the right side is computed first
    observed = round(float(2 * positive))
    total = counts.sum()
    lower, upper = counts[: observed + 1].sum() / total, counts[observed:].sum() / total
    return float(min(1.0, 2 * min(lower, upper)))
