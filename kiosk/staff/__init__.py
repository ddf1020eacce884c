"""The staff side of the kiosk without Qt: the PIN and the `staff` command."""
