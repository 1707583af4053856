"""numaspec.cli.commands."""
