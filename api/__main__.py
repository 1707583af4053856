"""`python -m numaspec ...`: the numaspec command."""

from numaspec.cli import main

raise SystemExit(main())
