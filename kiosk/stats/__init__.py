"""Statistics from the view log's hourly counters: dashboard figures and exports, without Qt."""
