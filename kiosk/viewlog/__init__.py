"""The anonymous view log: events in, hourly counters in SQLite (or any SQLAlchemy URL) out."""
