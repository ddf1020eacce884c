"""Stand-ins for the kiosk's back-ends (speech engine, audio output): tests only, never
imported by the kiosk itself (tests/test_architecture.py checks)."""
