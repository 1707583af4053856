"""numaspec.checker.evaluation.experiments."""
