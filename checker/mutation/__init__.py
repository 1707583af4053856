"""Mutation testing of the engines: wrong protocols generated from the IR
(`operators.py`), each checked by every engine, whose verdicts must agree with BFS's within
each engine's bounds (`agreement.py`)."""
