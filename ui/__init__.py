"""Qt widgets, screens, and the adapters that bring kiosk/ work onto the GUI thread."""
