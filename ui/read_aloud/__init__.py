"""Reading a screen aloud: the speech service (an engine in its own process) and the audio
player behind small interfaces, the controller that turns sentences into audio and highlights,
the narrator that lights up the words on screen, the bar of controls and what can be read."""
