"""Exit statuses of the `numaspec` command (docs/design.md, "Exit statuses")."""

from numaspec.model.outcome import Outcome

OK = 0  # the property holds / the trace conforms / the spec is valid
VIOLATION = 1  # a property is violated / the trace does not conform
BAD_INPUT = 2  # invalid spec, trace or arguments
RESOURCE_LIMIT = 3  # stopped at a limit (states, memory, time, Ctrl-C) with partial results

FOR_OUTCOME = {Outcome.OK: OK, Outcome.VIOLATION: VIOLATION, Outcome.LIMIT: RESOURCE_LIMIT}
