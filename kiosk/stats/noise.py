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
from collections.abc import Sequence
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
_BLOCK = 64  # SHA-256's block size in bytes, HMAC's key length

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

    __slots__ = ("_inner", "_key", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the statistics key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key
        # HMAC's two keyed states (RFC 2104), hashed once: each digest then starts from a
        # copy of them, 0.7 µs against hmac.digest's 1.7 (five an atom, thousands of atoms
        # a year). Keys longer than SHA-256's block are hashed first, shorter ones padded.
        block = (key if len(key) <= _BLOCK else hashlib.sha256(key).digest()).ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
        self._outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))

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

        The picks are self.pick's (a test checks it), with the message's fixed parts made
        once and HMAC's keyed states reused: a year of a busy kiosk is thousands of atoms.
        """
        if sums[0] == 0:
            return sums
        inner, outer = self._inner, self._outer
        head, tail = f"{day.isoformat()}|".encode(), f"|{topic}".encode()
        picks = []
        for measure in _MEASURE_BYTES:
            digest = inner.copy()
            digest.update(head + measure + tail)
            keyed = outer.copy()
            keyed.update(digest.digest())
            picks.append(int.from_bytes(keyed.digest()[:8], "big") % 5)
        return perturbed(sums, picks)


class FleetNoise:
    """The central database's noise: one atom per kiosk, day and topic, summed afterwards.

    Keyed by the topic's day alone, as on one kiosk, the change would be the same in every
    group of kiosks: an export by site and one of the whole fleet (A + c, B + c, A + B + c)
    would give c, and so every site's exact count, away. Each kiosk's atom has a change of
    its own instead, so any figure for any set of kiosks is a sum of the same changed atoms,
    and differencing gives back changed atoms only, exactly as on one kiosk.
    """

    __slots__ = ("_days", "_key")

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the statistics key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key
        self._days: dict[date, str] = {}

    def __repr__(self) -> str:
        return "FleetNoise(key=<hidden>)"

    def perturb(self, kiosk_id: str, day: date, topic: str, sums: AtomSums) -> AtomSums:
        if sums[0] == 0:
            return sums
        # One digest gives every measure's pick (6 bytes each; 2**48 mod 5 is 1, no bias to
        # speak of): a year of 500 kiosks is millions of atoms, so the five 6-byte pieces are
        # cut from one integer rather than five slices. Kiosk ids have no "|".
        day_text = self._days.get(day)
        if day_text is None:
            day_text = self._days[day] = day.isoformat()
        message = f"{day_text}|{kiosk_id}|{topic}".encode()
        n = int.from_bytes(hmac.digest(self._key, message, "sha256")[:30], "big")
        return perturbed(
            sums,
            (
                (n >> 192) % 5,
                (n >> 144 & _SIX_BYTES) % 5,
                (n >> 96 & _SIX_BYTES) % 5,
                (n >> 48 & _SIX_BYTES) % 5,
                (n & _SIX_BYTES) % 5,
            ),
        )


_SIX_BYTES = (1 << 48) - 1


def perturbed(sums: AtomSums, picks: Sequence[int]) -> AtomSums:
    """An atom's sums after the picks (one per NOISY_MEASURES, in that order): views stay at
    least 1 if not 0, modes within views. Straight-line code: exports run it per atom."""
    views, seconds, read_aloud, large_text, high_contrast, accessibility = sums
    if views == 0:
        # Zero stays zero: zeros are shown as they are everywhere, so changing them
        # would hide nothing and only add error.
        return sums
    pick_views, pick_read, pick_large, pick_contrast, pick_either = picks
    small = SMALL_VIEWS.get(views)
    noisy = views + CHANGES[pick_views] if small is None else small[pick_views]
    read = _mode(read_aloud, pick_read, noisy)
    large = _mode(large_text, pick_large, noisy)
    contrast = _mode(high_contrast, pick_contrast, noisy)
    # Views with large text or high contrast (not exported): kept between each of them
    # and both together, as the true count is.
    low, high = max(large, contrast), min(noisy, large + contrast)
    either = min(high, max(low, _mode(accessibility, pick_either, noisy)))
    # The atom's average, to the second, times the changed views: averages stay right,
    # and the seconds say nothing about the true views that the views do not (any true
    # count with that average gives the same seconds).
    average = (2 * seconds + views) // (2 * views)
    return (noisy, noisy * average, read, large, contrast, either)


def _mode(count: int, pick: int, views: int) -> int:
    """mode_outcomes(count)[pick], capped at the changed views."""
    if count == 0:
        return 0
    small = SMALL_MODES.get(count)
    changed = max(0, count + CHANGES[pick]) if small is None else small[pick]
    return min(views, changed)


_MEASURE_BYTES = tuple(measure.encode() for measure in NOISY_MEASURES)


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
