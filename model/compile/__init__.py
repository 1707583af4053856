"""numaspec.model.compile."""
