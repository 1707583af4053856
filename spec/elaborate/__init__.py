"""numaspec.spec.elaborate."""
