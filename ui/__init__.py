"""The kiosk's Qt widgets, in rooms: app/ (the window and the life around it), screens/ (what a
patient sees), read_aloud/ (speech, from engine to highlight), common/ (building blocks every
room uses) and staff/ (the staff area). kiosk/ holds the logic; main.py puts them together."""
