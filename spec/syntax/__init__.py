"""numaspec.spec.syntax."""
