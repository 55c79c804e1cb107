"""A check's answers, remembered by one process for a short while.

Some checks run on every request and give the same answer for the same input for a
long time: a signed cookie's signature, a consent cookie against the current cookie
groups. `Recently` keeps each answer for `seconds`, per process, for up to `size`
inputs (then it starts again), so an answer may be at most `seconds` out of date:
callers say why that is acceptable for them.
"""

import time


class Recently:
    def __init__(self, seconds, size=10_000):
        self.seconds, self.size = seconds, size
        self._answers = {}  # input -> (until, by time.monotonic(), the answer)

    def answer(self, value, check):
        """check()'s answer for `value`, as given within the last `seconds`, or anew."""
        now = time.monotonic()
        found = self._answers.get(value)
        if found is not None and found[0] > now:
            return found[1]
        result = check()
        if len(self._answers) >= self.size:
            self._answers.clear()
        self._answers[value] = (now + self.seconds, result)
        return result

    def clear(self):
        self._answers.clear()
