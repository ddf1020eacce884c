"""Fixed, keyed noise on each topic's counts of each day, before anything is summed.

Exports may cover any range, by day, week or month, so any release that held a small day's
exact count in some total would give it away by differencing (T(a..b) - T(a+1..b) is day a).
Instead every day's counts of a topic (the atom) are changed by a small amount picked by
HMAC-SHA256 under a secret key, and every figure of every export is a sum of changed atoms.
Differencing then only ever gives back changed atoms, each consistent with several true
counts; the same atom always gets the same change, so repeated or overlapping exports
cannot average it away. The method and its cost: docs/statistics-privacy.md.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import date

# The public noise table. Each atom's measure gets one of five equally likely picks from a
# keyed hash; a count of 3 or more is changed by the pick's amount. Public on purpose: the
# protection rests on the key, not on the table being unknown.
CHANGES = (-2, -1, 0, 1, 2)
# Small counts get rows of their own that keep the mean, so totals are not biased: views
# that are not 0 must stay at least 1 (a shown 0 means none), and "1 + (-2..+2), at least 1"
# would add 0.6 on average to every 1 (26% too much for a topic read once a day). A 1 then
# always stays 1; that is safe because 2s and 3s can become 1 too.
SMALL_VIEWS = {1: (1, 1, 1, 1, 1), 2: (1, 1, 2, 3, 3)}
# Mode counts may become 0, but "1 + (-2..+2), at least 0" would add 0.2 to each 1.
SMALL_MODES = {1: (0, 0, 1, 2, 2)}
NOISY_MEASURES = ("views", "read_aloud", "large_text", "high_contrast", "accessibility")
MIN_KEY_BYTES = 16

# views, seconds_total, read_aloud, large_text, high_contrast, accessibility (queries.Sums).
AtomSums = tuple[int, int, int, int, int, int]


def views_outcomes(views: int) -> tuple[int, ...]:
    """What a true views count can become, one entry per pick (0 stays 0)."""
    if views == 0:
        return (0,) * len(CHANGES)
    return SMALL_VIEWS.get(views) or tuple(views + change for change in CHANGES)


def mode_outcomes(count: int) -> tuple[int, ...]:
    """What a true mode count can become before it is capped at the changed views."""
    if count == 0:
        return (0,) * len(CHANGES)
    return SMALL_MODES.get(count) or tuple(max(0, count + change) for change in CHANGES)


class AtomNoise:
    """The pick for each (day, topic, measure), from a secret key that it never shows."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the statistics key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def __repr__(self) -> str:
        # Reprs end up in logs and tracebacks; the key must not.
        return "AtomNoise(key=<hidden>)"

    def pick(self, day: date, topic: str, measure: str) -> int:
        # The topic last: day and measure have fixed forms without "|", so no two different
        # atoms can give the same message, whatever a topic id holds.
        message = f"{day.isoformat()}|{measure}|{topic}".encode()
        # hmac.digest is the one-shot C path: the same digest as hmac.new(...).digest(),
        # in a third of the time (the dashboard perturbs thousands of atoms a refresh).
        digest = hmac.digest(self._key, message, hashlib.sha256)
        # 2**64 mod 5 is 1: the bias from the modulo is about 1e-19, nothing.
        return int.from_bytes(digest[:8], "big") % len(CHANGES)

    def same_key(self, other: AtomNoise) -> bool:
        """Whether both give the same noise (a cache of perturbed atoms stays valid)."""
        return hmac.compare_digest(self._key, other._key)

    def change(self, day: date, topic: str, measure: str) -> int:
        """The pick as an amount, -2..+2 (what a count of 3 or more is changed by)."""
        return CHANGES[self.pick(day, topic, measure)]

    def perturb(self, day: date, topic: str, sums: AtomSums) -> AtomSums:
        """The atom as exports see it: views stay at least 1 if not 0, modes within views.

        The same as perturbed(sums, lambda m: self.pick(day, topic, m)) (a test checks it),
        without its Python overhead: a year of a busy kiosk is thousands of atoms a refresh.
        """
        if sums[0] == 0:
            return sums
        key, head, tail = self._key, f"{day.isoformat()}|", f"|{topic}".encode()
        views, read, large, contrast, either = (
            int.from_bytes(hmac.digest(key, head.encode() + m + tail, "sha256")[:8], "big") % 5
            for m in _MEASURE_BYTES
        )
        return _perturbed_fast(sums, views, read, large, contrast, either)


class FleetNoise:
    """The central database's noise: one atom per kiosk, day and topic, summed afterwards.

    Keyed by the topic's day alone, as on one kiosk, the change would be the same in every
    group of kiosks: an export by site and one of the whole fleet (A + c, B + c, A + B + c)
    would give c, and so every site's exact count, away. Each kiosk's atom has a change of
    its own instead, so any figure for any set of kiosks is a sum of the same changed atoms,
    and differencing gives back changed atoms only, exactly as on one kiosk.
    """

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the statistics key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def __repr__(self) -> str:
        return "FleetNoise(key=<hidden>)"

    def perturb(self, kiosk_id: str, day: date, topic: str, sums: AtomSums) -> AtomSums:
        if sums[0] == 0:
            return sums
        # One digest gives every measure's pick (6 bytes each; 2**48 mod 5 is 1, no bias to
        # speak of): a year of 500 kiosks is millions of atoms. Kiosk ids have no "|".
        message = f"{day.isoformat()}|{kiosk_id}|{topic}".encode()
        digest = hmac.digest(self._key, message, "sha256")
        picks = {
            measure: int.from_bytes(digest[6 * i : 6 * i + 6], "big") % len(CHANGES)
            for i, measure in enumerate(NOISY_MEASURES)
        }
        return perturbed(sums, picks.__getitem__)


def perturbed(sums: AtomSums, pick: Callable[[str], int]) -> AtomSums:
    """An atom's sums after the picks: views stay at least 1 if not 0, modes within views."""
    views, seconds, read_aloud, large_text, high_contrast, accessibility = sums
    if views == 0:
        # Zero stays zero: zeros are shown as they are everywhere, so changing them
        # would hide nothing and only add error.
        return sums
    noisy = views_outcomes(views)[pick("views")]

    def mode(value: int, measure: str) -> int:
        return min(noisy, mode_outcomes(value)[pick(measure)])

    read = mode(read_aloud, "read_aloud")
    large = mode(large_text, "large_text")
    contrast = mode(high_contrast, "high_contrast")
    # Views with large text or high contrast (not exported): kept between each of them
    # and both together, as the true count is.
    low, high = max(large, contrast), min(noisy, large + contrast)
    either = min(high, max(low, mode(accessibility, "accessibility")))
    # The atom's average, to the second, times the changed views: averages stay right,
    # and the seconds say nothing about the true views that the views do not (any true
    # count with that average gives the same seconds).
    average = (2 * seconds + views) // (2 * views)
    return (noisy, noisy * average, read, large, contrast, either)


_MEASURE_BYTES = tuple(measure.encode() for measure in NOISY_MEASURES)
_SMALL_VIEWS_ONE, _SMALL_VIEWS_TWO = SMALL_VIEWS[1], SMALL_VIEWS[2]
_SMALL_MODES_ONE = SMALL_MODES[1]


def _perturbed_fast(
    sums: AtomSums,
    views_pick: int,
    read_pick: int,
    large_pick: int,
    contrast_pick: int,
    either_pick: int,
) -> AtomSums:
    """perturbed() for picks known in advance, the tables looked up without building them."""
    views, seconds, read_aloud, large_text, high_contrast, accessibility = sums
    if views == 1:
        noisy = _SMALL_VIEWS_ONE[views_pick]
    elif views == 2:
        noisy = _SMALL_VIEWS_TWO[views_pick]
    else:
        noisy = views + CHANGES[views_pick]

    def mode(value: int, pick: int) -> int:
        if value == 0:
            return 0
        changed = _SMALL_MODES_ONE[pick] if value == 1 else max(0, value + CHANGES[pick])
        return min(noisy, changed)

    read = mode(read_aloud, read_pick)
    large = mode(large_text, large_pick)
    contrast = mode(high_contrast, contrast_pick)
    low, high = max(large, contrast), min(noisy, large + contrast)
    either = min(high, max(low, mode(accessibility, either_pick)))
    average = (2 * seconds + views) // (2 * views)
    return (noisy, noisy * average, read, large, contrast, either)


def preimage(released: int) -> set[int]:
    """Every true views count the noise could have turned into `released` (the public model)."""
    if released == 0:
        return {0}
    # No outcome is more than 2 away from its true count.
    return {
        true
        for true in range(max(1, released - 2), released + 3)
        if released in views_outcomes(true)
    }
