"""`python -m numaspec.cli ...`: the numaspec command."""

from numaspec.cli import main

raise SystemExit(main())
