"""numaspec.spec.ir."""
