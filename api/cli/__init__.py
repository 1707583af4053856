"""The `numaspec` command line (`numaspec.cli`): one module per command in commands/.

Commands parse arguments, call an engine, and render its result; engines never print.
"""

from numaspec.cli.main import main

__all__ = ["main"]
