"""One router per resource, mounted by `service.main.create_app`."""
