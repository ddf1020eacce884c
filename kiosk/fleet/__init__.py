"""The fleet: hourly counters and a heartbeat pushed to a central PostgreSQL (docs/fleet.md)."""
