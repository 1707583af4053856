"""numaspec.spec.topology."""
