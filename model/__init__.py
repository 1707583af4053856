"""numaspec.model."""
