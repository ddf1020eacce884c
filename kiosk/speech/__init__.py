"""Offline speech for read-aloud: planning sentences, and synthesis in a child process.

The kiosk never synthesises in its own process (pyttsx3 can hang or return early, see
/work/shared/style.md practice 3): `worker` runs in a child started by
`ui.read_aloud.speech_process`, which talks to it in the JSON lines of `protocol`. `plan` is
pure and runs in the kiosk.
"""
