"""The HTTP edge of the service: routers, dependencies and error translation."""
