"""The running kiosk around its screens: the window and its one navigation rule, the visit and
its flow from visitor to visitor (idle, reset), lock-down, recovery from errors, clean exit on
a signal, the systemd watchdog ping and work-arounds for the Qt binding."""
