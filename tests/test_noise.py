"""The per-day noise on export counts: fixed per atom, keyed, within its bounds."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from kiosk.stats.noise import (
    CHANGES,
    NOISY_MEASURES,
    AtomNoise,
    mode_outcomes,
    perturbed,
    preimage,
    views_outcomes,
)

KEY = bytes(range(32))
DAY = date(2026, 11, 20)


def test_the_same_atom_always_gets_the_same_change() -> None:
    sums = (7, 700, 3, 1, 0, 1)
    first = AtomNoise(KEY).perturb(DAY, "side-effects", sums)
    assert all(AtomNoise(KEY).perturb(DAY, "side-effects", sums) == first for _ in range(5))


def test_changes_depend_on_the_key_day_topic_and_measure() -> None:
    noise, other = AtomNoise(KEY), AtomNoise(bytes(reversed(KEY)))
    days = [DAY + timedelta(days=d) for d in range(200)]
    mine = [noise.change(d, "side-effects", "views") for d in days]
    assert mine != [other.change(d, "side-effects", "views") for d in days]
    assert mine != [noise.change(d, "what-is-ketamine", "views") for d in days]
    assert mine != [noise.change(d, "side-effects", "read_aloud") for d in days]


def test_every_change_of_the_table_is_about_equally_likely() -> None:
    noise = AtomNoise(KEY)
    counts = Counter(
        noise.change(DAY + timedelta(days=d), f"topic-{t}", "views")
        for d in range(400)
        for t in range(10)
    )
    assert set(counts) == set(CHANGES)
    assert all(700 < n < 900 for n in counts.values()), counts  # 800 each expected


def test_perturbed_atoms_stay_within_their_bounds() -> None:
    rng = random.Random(3)
    noise = AtomNoise(KEY)
    for index in range(3000):
        views = rng.choice([0, 1, 1, 2, 3, 5, 10, 40])
        large, contrast = rng.randint(0, views), rng.randint(0, views)
        either = rng.randint(max(large, contrast), min(views, large + contrast))
        sums = (views, views * rng.randint(5, 300), rng.randint(0, views), large, contrast, either)
        day = DAY + timedelta(days=index)
        out = noise.perturb(day, "side-effects", sums)
        if views == 0:
            assert out == sums  # zero stays zero
            continue
        assert out[0] >= 1 and abs(out[0] - views) <= 2
        for true, noisy in zip(sums[2:5], out[2:5], strict=True):
            assert 0 <= noisy <= out[0]
            assert noisy == 0 if true == 0 else abs(noisy - true) <= 2 or noisy == out[0]
        assert max(out[3], out[4]) <= out[5] <= min(out[0], out[3] + out[4])
        # The average is kept to the second.
        assert out[1] == out[0] * round(sums[1] / views + 1e-9)


def test_the_key_is_never_shown() -> None:
    noise = AtomNoise(KEY)
    assert KEY.hex() not in repr(noise)
    assert str(list(KEY)) not in repr(noise)
    with pytest.raises(AttributeError):
        noise.__dict__  # noqa: B018 - slots: nothing but the key, and no dict to dump it from


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        AtomNoise(b"short")


def test_preimage_holds_every_count_that_could_give_the_released_one() -> None:
    # By brute force over every true count and every pick.
    for released in range(0, 30):
        expected = {
            true for true in range(0, 40) for outcome in views_outcomes(true) if outcome == released
        }
        assert preimage(released) == expected, released
    assert preimage(1) == {1, 2, 3}
    # However the released views were worked out, they leave at least three true counts.
    assert all(len(preimage(r)) >= 3 for r in range(1, 30))


@pytest.mark.parametrize("count", range(0, 15))
def test_the_noise_adds_nothing_on_average(count: int) -> None:
    # Unbiased for every count, small ones too: totals of quiet topics stay right on average.
    assert sum(views_outcomes(count)) == count * len(CHANGES)
    assert sum(mode_outcomes(count)) == count * len(CHANGES)
    assert all(o >= 1 for o in views_outcomes(count)) or count == 0
    assert all(abs(o - count) <= 2 for o in views_outcomes(count) + mode_outcomes(count))


def test_the_fast_path_gives_exactly_the_public_tables_results() -> None:
    # AtomNoise.perturb makes its picks without pick(); every export depends on them being the same.
    rng = random.Random(11)
    noise = AtomNoise(KEY)
    for index in range(20_000):
        views = rng.choice([0, 1, 2, 3, 4, 7, 11, 60, 500])
        large, contrast = rng.randint(0, views), rng.randint(0, views)
        either = rng.randint(max(large, contrast), min(views, large + contrast))
        sums = (views, rng.randint(0, 900) * views, rng.randint(0, views), large, contrast, either)
        day = DAY + timedelta(days=index % 400)
        topic = f"topic-{index % 7}"
        reference = perturbed(sums, [noise.pick(day, topic, m) for m in NOISY_MEASURES])
        assert noise.perturb(day, topic, sums) == reference, (day, topic, sums)


@pytest.mark.parametrize("length", [16, 32, 63, 64, 65, 100])
def test_the_reused_keyed_states_give_hmacs_digests(length: int) -> None:
    # perturb starts each HMAC from precomputed keyed states; pick calls hmac.digest itself.
    rng = random.Random(length)
    noise = AtomNoise(bytes(rng.randrange(256) for _ in range(length)))
    for index in range(500):
        day, topic = DAY + timedelta(days=index), f"topic-{index % 5}|x"
        sums = (50, 1500, 20, 10, 5, 12)
        reference = perturbed(sums, [noise.pick(day, topic, m) for m in NOISY_MEASURES])
        assert noise.perturb(day, topic, sums) == reference
