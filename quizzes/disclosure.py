"""Which outcome figures may be shown: small cells hidden, and hidden cells kept hidden.

A figure resting on fewer than MIN_READERS readers is withheld. That alone is not
enough: the whole minus the groups shown gives the one group withheld, and two date
windows a day apart give the readers of that day. So:

- Readers are counted once, in one cell: the calendar quarter in which they started
  the quiz (their pre-test) and the profession, specialty and country they had then.
  Reports cover all time or one whole quarter, never an arbitrary range.
- Complementary suppression: in every line of cells that add up to a shown total (the
  groups of a breakdown, the quarters of a group, the quarters of all readers), the
  withheld cells together hold no readers or at least MIN_READERS; when they hold
  fewer, the next smallest cell of that line is withheld too, until none of them can
  be had by subtraction. Quarters × groups are worked out together, so a quarter's
  breakdown and the all-time breakdown cannot be subtracted from each other either.

Each kind of figure (readers, pre-tests, post-tests, matched pairs, confidence pairs,
intent answers) is protected on its own counts, the same way on the page and in the
CSVs, whatever the request; and since readers = pre-tests + post-tests − matched pairs
in every cell and total, none of those four is ever withheld alone where the other
three are shown.
"""

from dataclasses import dataclass, field

import numpy as np

MIN_READERS = 5
ALL = "*"  # the whole of a line: all time, or all readers
FAMILIES = ("readers", "before", "after", "pairs", "confidence", "intent")


def rule_text():
    from django.utils.translation import gettext

    return gettext(
        "Figures on fewer than %(n)s readers are withheld, and so is the next smallest "
        "group, quarter or both wherever a withheld figure could otherwise be had by "
        "subtracting the figures shown from their total (complementary suppression)."
    ) % {"n": MIN_READERS}


def _complete(line, hidden):
    """Withhold more cells of `line` ({key: n}) until its withheld cells hold 0 or ≥ MIN_READERS.

    Returns whether anything was added to `hidden` (a set shared by all lines).
    """
    added = False
    while 0 < sum(n for key, n in line.items() if key in hidden) < MIN_READERS:
        candidates = sorted(
            (n, str(key), key) for key, n in line.items() if key not in hidden and n
        )
        if not candidates:
            break
        hidden.add(candidates[0][2])
        added = True
    return added


def protect_line(counts):
    """The keys of a line ({key: n}) to withhold, given that its total is shown (or not)."""
    if 0 < sum(counts.values()) < MIN_READERS:
        return {key for key, n in counts.items() if n}
    hidden = {key for key, n in counts.items() if 0 < n < MIN_READERS}
    _complete(counts, hidden)
    return hidden


def protect_table(cells, forced=frozenset()):
    """Cells ({(period, group): n}) to withhold, with every row, column and margin protected.

    `forced`: keys withheld whatever their count (a cell, a quarter's (period, ALL), a
    group's (ALL, group), the whole (ALL, ALL)). Returns the set of withheld keys,
    including (period, ALL) for a whole quarter, (ALL, group) for a group over all time,
    and (ALL, ALL) if even the whole is small.
    """
    periods = sorted({p for p, _g in cells}, key=str)
    groups = sorted({g for _p, g in cells}, key=str)
    rows = {p: sum(n for (q, _g), n in cells.items() if q == p) for p in periods}
    cols = {g: sum(n for (_p, h), n in cells.items() if h == g) for g in groups}
    hidden_rows, hidden_cols = protect_line(rows), protect_line(cols)
    hidden_rows |= {p for p, g in forced if g == ALL and p != ALL and p in rows}
    hidden_cols |= {g for p, g in forced if p == ALL and g != ALL and g in cols}
    _complete(rows, hidden_rows)
    _complete(cols, hidden_cols)
    hidden = {
        key
        for key, n in cells.items()
        if 0 < n < MIN_READERS or key[0] in hidden_rows or key[1] in hidden_cols or key in forced
    }
    changed = True
    while changed:
        changed = False
        for p in periods:
            if p not in hidden_rows:
                line = {key: n for key, n in cells.items() if key[0] == p}
                changed |= _complete(line, hidden)
        for g in groups:
            if g not in hidden_cols:
                line = {key: n for key, n in cells.items() if key[1] == g}
                changed |= _complete(line, hidden)
        # Lines alone are not enough: a withheld cell can still follow from several
        # lines together (a "bridge" between two rectangles of withheld cells).
        for key in _solvable(cells, hidden, hidden_rows, hidden_cols)[:1]:
            # Withhold the smallest cell shown in the key's row or column, or failing
            # that in any line through a withheld cell, and look again.
            near = [k for k in cells if k[0] == key[0] or k[1] == key[1]]
            lines = {k[0] for k in hidden if k in cells}, {k[1] for k in hidden if k in cells}
            wider = [k for k in cells if k[0] in lines[0] or k[1] in lines[1]]
            for pool in (near, wider):
                spare = sorted((cells[k], str(k), k) for k in pool if k not in hidden and cells[k])
                if spare:
                    hidden.add(spare[0][2])
                    changed = True
                    break
            else:  # every cell is withheld: withhold the smallest total still shown, its
                # group's over all time first (only a breakdown shows those)
                totals = [(0, n, str(g), g) for g, n in cols.items() if g not in hidden_cols]
                totals += [(1, n, str(p), p) for p, n in rows.items() if p not in hidden_rows]
                if totals:
                    position, _n, _name, value = min(totals)
                    (hidden_rows if position else hidden_cols).add(value)
                    hidden |= {k for k in cells if k[1 - position] == value}
                    changed = True
    hidden |= {(p, ALL) for p in hidden_rows} | {(ALL, g) for g in hidden_cols}
    if 0 < sum(rows.values()) < MIN_READERS or (ALL, ALL) in forced:
        hidden.add((ALL, ALL))
    return hidden


def _solvable(cells, hidden, hidden_rows, hidden_cols):
    """Withheld cells on 1–4 readers that the shown cells and totals determine exactly.

    Every shown total is an equation over its withheld cells; a cell is determined when
    no solution of the homogeneous system can change it, i.e. the null space of the
    equations is zero at that cell.
    """
    unknown = sorted((key for key in cells if key in hidden), key=str)
    if not unknown:
        return []
    index = {key: i for i, key in enumerate(unknown)}
    lines = [[k for k in unknown if k[0] == p] for p in {k[0] for k in cells} - hidden_rows]
    lines += [[k for k in unknown if k[1] == g] for g in {k[1] for k in cells} - hidden_cols]
    matrix = np.zeros((len(lines) + 1, len(unknown)))
    for row, line in enumerate(lines):
        for key in line:
            matrix[row, index[key]] = 1
    matrix[-1, :] = 1  # the whole
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]
    return [
        key
        for key, i in index.items()
        if 0 < cells[key] < MIN_READERS and (null.size == 0 or np.abs(null[:, i]).max() < 1e-9)
    ]


@dataclass
class Plan:
    """What one report may show: per family, the withheld (period, group) cells."""

    hidden: dict = field(default_factory=dict)  # {family: set of (period, group)}
    periods: list = field(default_factory=list)  # quarters with any reader, in order

    def withheld(self, period, group=ALL):
        """The families withheld for a group (ALL: everyone) in a period (ALL: all time)."""
        cell = (period or ALL, ALL if group is None else group)
        return {family for family, keys in self.hidden.items() if cell in keys}


# Families tied by one equation in every cell and total: readers = before + after − pairs
# (a reader who took both is one reader). One of them withheld alone would follow from
# the other three.
LINKED = ("readers", "before", "after", "pairs")


def _count(counts, family, key):
    """A family's count for a cell or a total ((period, ALL), (ALL, group), (ALL, ALL))."""
    period, group = key
    return sum(
        n.get(family, 0)
        for (p, g), n in counts.items()
        if (period == ALL or p == period) and (group == ALL or g == group)
    )


def plan_from_counts(counts):
    """A Plan from {(period, group): {family: n}} counted over every period and group.

    Each family is protected on its own counts; then, wherever exactly one of the
    LINKED families is withheld, the smallest other one shown is withheld too (and its
    table protected again), until no cell or total has a lone withheld linked figure.
    """
    plan = Plan(periods=sorted({p for p, _g in counts}))
    forced = {family: set() for family in FAMILIES}

    def protect(family):
        cells = {key: n.get(family, 0) for key, n in counts.items()}
        plan.hidden[family] = protect_table(cells, frozenset(forced[family]))

    for family in FAMILIES:
        protect(family)
    while True:
        lone = {}
        for key in set().union(*(plan.hidden[family] for family in LINKED)):
            withheld = [family for family in LINKED if key in plan.hidden[family]]
            if len(withheld) == 1:
                shown = [f for f in LINKED if f not in withheld]
                lone[key] = min(shown, key=lambda f: (_count(counts, f, key), f))
        if not lone:
            return plan
        for key, family in sorted(lone.items(), key=str):
            forced[family].add(key)
        for family in set(lone.values()):
            protect(family)
