"""Example systems written independently of numaspec, used to test its checkers against."""
