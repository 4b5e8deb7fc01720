"""Django's PostgreSQL backend, with timestamps read by Python's C `datetime.fromisoformat` (see `base`)."""
