"""The kiosk's logic: content, view log, statistics, speech, settings. No Qt widgets here."""

APP_NAME = "ketamine-kiosk"
# What people (and a screen reader, as the application's name) call it.
APP_DISPLAY_NAME = "Ketamine information"
