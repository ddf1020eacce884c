"""The read-aloud player: real espeak-ng audio read as PCM, fed to the sink from memory, time
kept without a sound card, headphones preferred, and a health page that says when patients
would hear nothing. (A real sound server: tests/test_audio_sink.py.)"""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

import pytest

from kiosk.audio import NO_OUTPUT, AudioOutput, can_be_heard, choose_output, describe_outputs
from kiosk.speech.pcm import PcmError, read_wav
from tests.fakes.audio import HEADPHONES, SPEAKERS, FakeAudioDevices
from ui.read_aloud.pcm_source import PcmSource
from ui.read_aloud.qt_player import QtAudioPlayer
from ui.staff.health import HealthPanel

# Loading QtMultimedia on a machine with no sound server, no PipeWire and no GPU: it says so.
pytestmark = pytest.mark.qt_log_ignore(
    "No audio device detected",
    r"PulseAudioService: pa_context_connect\(\) failed",
    r"Couldn't (load|resolve) (pipewire-0\.3|va|va-x11|va-drm|va\(in plugin\)) (library|symbols)",
)

NULL_SINK = AudioOutput("auto_null", "Dummy Output", True)
SILENTLY = "no audio output: read-aloud keeps time silently"


def wav(path: Path, ms: int, *, rate: int = 22050, width: int = 2, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(b"\x01" * width * channels * (rate * ms // 1000))
    return path


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A sentence said by the real espeak-ng, and the length it reported. In a child process:
    pyttsx3 keeps one engine per process, and tests/test_speech_engine.py owns this one's."""
    path = tmp_path_factory.mktemp("espeak") / "sentence.wav"
    said = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from kiosk.speech.synth import EspeakSynthesizer as E; "
            "print(E().synthesize(sys.argv[1], 'en', 165, sys.argv[2]).duration_ms)",
            "Ketamine is given slowly through a small tube.",
            str(path),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return path, int(said.stdout.split()[-1])


# The WAV file as PCM.


@pytest.mark.espeak
def test_espeak_audio_reads_as_pcm_of_the_length_it_reported(spoken: tuple[Path, int]) -> None:
    path, reported_ms = spoken
    pcm = read_wav(path)
    assert (pcm.channels, pcm.sample_width) == (1, 2)
    assert pcm.sample_rate in (16000, 22050, 44100)
    assert abs(pcm.duration_ms - reported_ms) <= 50
    assert any(pcm.frames[i] for i in range(0, len(pcm.frames), 97))  # speech, not silence


def test_pcm_offsets_are_whole_frames_within_the_audio(tmp_path: Path) -> None:
    pcm = read_wav(wav(tmp_path / "stereo.wav", 1000, rate=8000, channels=2))
    assert pcm.frame_bytes == 4 and pcm.duration_ms == 1000
    assert pcm.offset_at(250) == 2000 * 4
    assert pcm.offset_at(5000) == len(pcm.frames) and pcm.offset_at(-5) == 0
    assert pcm.ms_at(pcm.offset_at(333)) == 333


def test_what_is_not_integer_pcm_is_refused_and_a_cut_frame_dropped(tmp_path: Path) -> None:
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(PcmError, match="not a PCM WAV"):
        read_wav(tmp_path / "text.wav")
    with pytest.raises(PcmError, match="24-bit"):
        read_wav(wav(tmp_path / "24.wav", 100, width=3))
    cut = tmp_path / "cut.wav"
    data = wav(tmp_path / "whole.wav", 100).read_bytes()
    cut.write_bytes(data[:-1])  # a worker killed mid-write
    pcm = read_wav(cut)
    assert len(pcm.frames) % pcm.frame_bytes == 0 and pcm.duration_ms >= 99


# The source the sink pulls from.


@pytest.mark.espeak
def test_the_source_hands_out_a_sentence_in_chunks_and_says_when_there_is_more(
    qtbot: Any, spoken: tuple[Path, int]
) -> None:
    pcm = read_wav(spoken[0])
    source = PcmSource()
    with qtbot.waitSignal(source.readyRead, timeout=1000):
        source.load(pcm.frames)
    assert source.bytesAvailable() == len(pcm.frames)
    pulled = bytearray()
    while chunk := source.read(4096):  # as QAudioSink pulls: a ring buffer's worth at a time
        pulled += chunk
    assert bytes(pulled) == pcm.frames
    assert source.remaining() == 0 and source.read(10) == b""
    with qtbot.assertNotEmitted(source.readyRead):
        source.load(b"")  # nothing to say
    source.load(pcm.frames)
    source.clear()
    assert source.bytesAvailable() == 0


# Keeping time with no sound card (this machine has none).


@pytest.mark.expected_logs(SILENTLY)
def test_without_an_output_the_player_keeps_time_pauses_and_stops_silently(
    qtbot: Any, tmp_path: Path
) -> None:
    player = QtAudioPlayer(FakeAudioDevices([]))
    player.warm_up()
    assert player.output is None
    positions: list[int] = []
    player.position_changed.connect(positions.append)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play(wav(tmp_path / "a.wav", 400))
    assert positions == sorted(positions) and positions[-1] == 400
    assert len(positions) >= 5  # fine enough for a word highlight

    with qtbot.waitSignal(player.position_changed, timeout=5000):
        player.play(wav(tmp_path / "b.wav", 3000))
    player.pause()
    held = player.position()
    with qtbot.assertNotEmitted(player.position_changed, wait=200):
        pass
    with qtbot.waitSignal(player.position_changed, timeout=5000):
        player.resume()
    assert held <= player.position() < held + 200
    player.set_volume(0.3)
    player.stop()
    assert player.position() == 0
    with (
        qtbot.assertNotEmitted(player.finished, wait=200),
        qtbot.assertNotEmitted(player.position_changed),
    ):
        pass


@pytest.mark.expected_logs("audio playback failed")
def test_a_file_that_is_not_audio_fails_at_once(qtbot: Any, tmp_path: Path) -> None:
    player = QtAudioPlayer(FakeAudioDevices([SPEAKERS]))
    (tmp_path / "x.wav").write_text("nope")
    with qtbot.waitSignal(player.failed, timeout=1000) as failed:
        player.play(tmp_path / "x.wav")
    assert "not a PCM WAV" in failed.args[0]


# Which output: headphones first, followed as they come and go.


def test_headphones_are_chosen_before_speakers_and_a_null_output_is_not_heard() -> None:
    assert choose_output([SPEAKERS, HEADPHONES]) == HEADPHONES
    assert choose_output([SPEAKERS]) == SPEAKERS
    assert choose_output([NULL_SINK, SPEAKERS]) == SPEAKERS  # the default, but plays to nobody
    assert choose_output([NULL_SINK]) == NULL_SINK  # still keeps time for the highlight
    assert choose_output([]) is None
    assert not can_be_heard([NULL_SINK]) and not can_be_heard([])
    assert describe_outputs([SPEAKERS, HEADPHONES]) == "Jabra USB Headset (headphones)"
    assert describe_outputs([NULL_SINK]) == NO_OUTPUT
    assert describe_outputs(None) == "not checked yet"


@pytest.mark.expected_logs(SILENTLY)
def test_the_player_moves_to_headphones_plugged_in_and_back_when_they_go(
    qtbot: Any, tmp_path: Path
) -> None:
    devices = FakeAudioDevices([SPEAKERS])
    player = QtAudioPlayer(devices)
    player.warm_up()
    assert player.output == SPEAKERS
    with qtbot.waitSignal(player.position_changed, timeout=5000):
        player.play(wav(tmp_path / "a.wav", 3000))
    before = player.position()
    devices.plug([SPEAKERS, HEADPHONES])
    assert player.output == HEADPHONES
    with qtbot.waitSignal(player.position_changed, timeout=5000):
        pass
    assert before <= player.position() < before + 500  # goes on from where it was
    devices.plug([SPEAKERS])
    assert player.output == SPEAKERS
    player.stop()


# The health page.


def health_texts(qtbot: Any, kiosk: Any) -> dict[str, str]:
    kiosk._warm_up_audio()  # as a second after start-up
    panel = HealthPanel(kiosk.health, kiosk.clock)
    qtbot.addWidget(panel)
    panel.show()
    return {key: label.text() for key, label in panel.labels.items()}


def test_the_health_page_says_patients_would_hear_nothing_without_an_output(
    qtbot: Any, make_kiosk: Any
) -> None:
    texts = health_texts(qtbot, make_kiosk(audio_devices=FakeAudioDevices([NULL_SINK])))
    assert texts["speech"] == NO_OUTPUT
    assert texts["audio"] == NO_OUTPUT


def test_the_health_page_says_working_with_an_output_and_names_it(
    qtbot: Any, make_kiosk: Any
) -> None:
    kiosk = make_kiosk(audio_devices=FakeAudioDevices([SPEAKERS, HEADPHONES]))
    texts = health_texts(qtbot, kiosk)
    assert texts["speech"] == "working"
    assert texts["audio"] == "Jabra USB Headset (headphones)"
    assert "no audio output" not in kiosk.fleet_heartbeat().problems


def test_on_this_machine_without_sound_the_health_page_says_so(qtbot: Any, make_kiosk: Any) -> None:
    from ui.read_aloud.audio_devices import QtAudioDevices

    devices = QtAudioDevices()
    if can_be_heard(devices.outputs()):
        pytest.skip("this machine has a sound output")
    texts = health_texts(qtbot, make_kiosk(audio_devices=devices))
    assert texts["speech"] == NO_OUTPUT
