"""numaspec.checker.symbolic.encode."""
