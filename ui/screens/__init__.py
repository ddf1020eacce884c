"""What a patient sees: the invitation, the topic tiles, a topic and its reader, the crisis
screen, the checklist, pop-ups, and the top bar and footer around them all. Screens say what
the patient asked for by signal (topic_requested, crisis_requested, ...); the window acts."""
