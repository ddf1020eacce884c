"""Building blocks every room uses: touch buttons and style states, the flow layout, finger
scrolling, icons, the theme and fonts, interface translations, the printer, the hidden staff
entry and the helper that runs blocking work off the GUI thread."""
