"""The kiosk's logic: content, view log, statistics, speech, settings. No Qt widgets here."""

APP_NAME = "ketamine-kiosk"
