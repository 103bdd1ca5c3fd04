"""Process-wide plumbing for the service: settings and database engine."""
