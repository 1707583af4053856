"""numaspec.spec."""
