"""The kiosk's Qt widgets, in rooms: app/ (the window and the life around it), screens/ (what a
patient sees), read_aloud/ (speech, from engine to highlight), common/ (building blocks every
room uses) and staff/ (the staff area). kiosk/ holds the logic; main.py puts them together."""

# Before any of the kiosk's widget modules (and what they import) is imported through
# PySide6's hooked __import__: otherwise their whole source stays in memory (ui/app/binding.py).
import PySide6  # noqa: F401  # installs the hook this replaces

from ui.app.binding import stop_source_reads_on_import

stop_source_reads_on_import()
