"""Which sound output read-aloud uses, and whether a patient could hear anything at all.

Qt lists the outputs (ui/read_aloud/audio_devices.py); the choice is made here, without Qt,
so it can be tested with any list. In a shared waiting room headphones are preferred when
an output says it is one; a null or dummy output (PulseAudio's when there is no sound card)
plays to nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADPHONE_WORDS = ("headphone", "headset", "earphone", "earbud", "earpiece")
# PulseAudio names its stand-in sink "auto_null" ("Dummy Output"); module-null-sink's
# default description is "Null Output".
SILENT_WORDS = ("null", "dummy", "discard")

NO_OUTPUT = "Patients would hear nothing: no audio output found"


@dataclass(frozen=True, slots=True)
class AudioOutput:
    id: str
    description: str
    is_default: bool = False

    @property
    def headphones(self) -> bool:
        return _says(self, HEADPHONE_WORDS)

    @property
    def silent(self) -> bool:
        return _says(self, SILENT_WORDS)


def _says(output: AudioOutput, words: Sequence[str]) -> bool:
    text = f"{output.id} {output.description}".lower()
    return any(word in text for word in words)


def choose_output(outputs: Sequence[AudioOutput]) -> AudioOutput | None:
    """Headphones first, then the system's default, then any that is heard, then any at all
    (a silent output still keeps time, so the highlight moves)."""
    audible = [o for o in outputs if not o.silent]
    for candidates in (
        [o for o in audible if o.headphones],
        [o for o in audible if o.is_default],
        audible,
        [o for o in outputs if o.is_default],
        list(outputs),
    ):
        if candidates:
            return candidates[0]
    return None


def can_be_heard(outputs: Sequence[AudioOutput]) -> bool:
    return any(not o.silent for o in outputs)


def describe_outputs(outputs: Sequence[AudioOutput] | None) -> str:
    """For the staff health page: the output read-aloud plays on, or why nobody hears it."""
    if outputs is None:
        return "not checked yet"
    if not can_be_heard(outputs):
        return NO_OUTPUT
    chosen = choose_output(outputs)
    assert chosen is not None
    kind = " (headphones)" if chosen.headphones else ""
    return f"{chosen.description or chosen.id}{kind}"
