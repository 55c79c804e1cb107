"""The statistics behind the outcomes report, checked against published and hand-worked answers."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from quizzes.stats import mcnemar, mcnemar_chi2, paired_change, sign_test


def test_mcnemar_matches_agrestis_worked_example():
    """Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), section 8.1.1.

    Presidential approval of 1600 people asked twice: 794 approve both times, 150
    approve then disapprove, 86 disapprove then approve, 570 disapprove both times.
    Agresti gives z = (86 − 150)/√(86 + 150) = −4.17, so χ² = z² = 17.36 without
    continuity correction; with it, (|150 − 86| − 1)²/236 = 3969/236 = 16.82.
    """
    right_to_wrong, wrong_to_right = 150, 86

    assert round(mcnemar_chi2(right_to_wrong, wrong_to_right, correction=False), 2) == 17.36
    result = mcnemar(right_to_wrong, wrong_to_right)

    assert result.method == "chi2"  # 236 discordant pairs: far past the exact-test range
    assert result.statistic == pytest.approx(3969 / 236)
    assert round(result.statistic, 2) == 16.82
    assert result.p == pytest.approx(scipy_stats.chi2.sf(3969 / 236, 1))
    assert 4.0e-5 < result.p < 4.2e-5


def test_exact_mcnemar_below_25_changes_is_the_binomial_by_hand():
    """2 readers went right→wrong and 9 wrong→right: P = 2 × P(X ≤ 2 | n = 11, ½).

    P(X ≤ 2) = (C(11,0) + C(11,1) + C(11,2)) / 2¹¹ = (1 + 11 + 55) / 2048, so P = 134/2048.
    """
    result = mcnemar(2, 9)

    assert result.method == "exact" and result.statistic is None
    assert result.p == pytest.approx(134 / 2048)
    assert result.changed == 11


def test_mcnemar_switches_to_chi2_at_25_changes_and_says_nothing_without_changes():
    assert mcnemar(13, 12).method == "chi2"
    assert mcnemar(12, 12).method == "exact"
    assert mcnemar(0, 0) is None
    assert mcnemar(3, 3).p == 1.0


def test_sign_test():
    assert sign_test(9, 2) == pytest.approx(134 / 2048)
    assert sign_test(0, 0) is None


def test_paired_change_from_a_table_of_scores():
    # Six readers: differences +2, +2, +1, 0, −1, +3.
    table = {(1, 3): 2, (0, 1): 1, (2, 2): 1, (3, 2): 1, (0, 3): 1}

    result = paired_change(table)

    changes = [2, 2, 1, 0, -1, 3]
    mean = sum(changes) / 6
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / 5)
    assert result.n == 6
    assert result.mean_change == pytest.approx(mean)
    assert result.sd_change == pytest.approx(sd)
    assert result.effect_size == pytest.approx(mean / sd)
    after, before = [3, 3, 1, 2, 2, 3], [1, 1, 0, 2, 3, 0]
    assert result.t_p == pytest.approx(scipy_stats.ttest_rel(after, before).pvalue)
    # Non-zero differences +2, +2, +1, −1, +3: |d| ranks 3.5, 3.5, 1.5, 1.5, 5.
    assert result.rank_biserial == pytest.approx((3.5 + 3.5 + 1.5 + 5 - 1.5) / 15)
    # Five non-zero differences with tied ranks: exact over all 2⁵ sign patterns.
    assert result.wilcoxon_method == "exact"
    assert result.wilcoxon_p == pytest.approx(exact_by_enumeration([2, 2, 1, -1, 3]))
    assert result.wilcoxon_w == 1.5
    assert result.ci_low < mean < result.ci_high
    assert result.t == pytest.approx(scipy_stats.ttest_rel(after, before).statistic)
    sd_before, sd_after = scipy_stats.tstd(before), scipy_stats.tstd(after)
    assert result.d_av == pytest.approx(mean / ((sd_before + sd_after) / 2))
    assert (result.improved, result.worsened, result.unchanged) == (4, 1, 1)


def test_paired_change_without_spread_or_pairs():
    same = paired_change({(1, 2): 4})

    assert same.mean_change == 1 and same.sd_change == 0
    assert same.t_p is None and same.effect_size is None and same.ci_low is None
    # Four tied +1s: all 2⁴ sign patterns are equally likely; "all positive" is the
    # most extreme, so P = 2 × 1/16.
    assert same.wilcoxon_p == pytest.approx(2 / 16)
    assert paired_change({}) is None
    assert paired_change({(2, 2): 3}).wilcoxon_p is None


def exact_by_enumeration(differences):
    """scipy's permutation test over every sign pattern (exact for so few readers)."""
    data = np.array(differences, dtype=float)

    def positive_rank_sum(x):
        return np.sum(scipy_stats.rankdata(np.abs(x)) * (x > 0))

    result = scipy_stats.permutation_test(
        (data,), positive_rank_sum, permutation_type="samples", n_resamples=np.inf
    )
    return result.pvalue


def test_wilcoxon_is_exact_in_small_groups_even_with_ties():
    """Seven readers (a small stratum), changes +1 +1 +1 +2 +2 −1 +3: the normal
    approximation says P = 0.047, "significant"; the exact distribution says 0.078."""
    table = {(0, 1): 3, (0, 2): 2, (1, 0): 1, (0, 3): 1}

    result = paired_change(table)

    assert scipy_stats.wilcoxon([1, 1, 1, 2, 2, -1, 3], method="asymptotic").pvalue < 0.05
    assert result.wilcoxon_method == "exact"
    assert result.wilcoxon_p == pytest.approx(exact_by_enumeration([1, 1, 1, 2, 2, -1, 3]))
    assert result.wilcoxon_p == pytest.approx(0.078125)


def test_wilcoxon_without_ties_equals_scipys_exact_test_and_large_groups_are_approximate():
    differences = [1, -2, 3, 4, 5, 6, -7, 8]
    table = {(0, d): 1 for d in differences if d > 0} | {(-d, 0): 1 for d in differences if d < 0}

    assert paired_change(table).wilcoxon_p == pytest.approx(
        scipy_stats.wilcoxon(differences, method="exact").pvalue
    )
    many = paired_change({(0, 1): 40, (1, 0): 15})
    assert many.wilcoxon_method == "normal approximation"
    assert many.wilcoxon_p == pytest.approx(
        scipy_stats.wilcoxon([1] * 40 + [-1] * 15, method="asymptotic").pvalue
    )


@pytest.mark.parametrize(
    ("d", "label"), [(0.1, "negligible"), (-0.3, "small"), (0.5, "medium"), (1.2, "large")]
)
def test_effect_size_labels(d, label):
    from quizzes.stats import effect_label

    assert effect_label(d) == label
