"""The syndet service: HTTP API, storage and command line around the `shingling` engine."""
