"""The catalogue of stable diagnostic codes.  One entry per code; never renumber or reuse.

docs/language.md lists the same codes with an example each; tests/corpus/bad/ has a spec for
most of them.  Exit statuses of the CLI are defined in numaspec.cli.exit_status.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # -- E0xx: reading input --------------------------------------------------------------
    "E001": "cannot read file",
    "E002": "file is not valid UTF-8",
    "E003": "file too large",
    "E004": "bad command-line argument",
    # E005-E019: output paths and --impl (api/cli/outputs.py, checker/fuzz/conformance.py)
    "E005": "cannot write an output file",
    "E006": "the implementation (--impl) cannot be loaded or does not fit the adapter contract",
    # -- E030-E039: HTML reports and the explorer (docs/visual.md) -------------------------
    "E030": "cannot write the HTML report",
    "E031": "the explorer cannot listen on the address",
    "E032": "the trace file is not a trace of this spec (report, explore --trace)",
    # -- E040-E049: trace files in and out, other tools' traces (docs/cli.md, docs/traces.md)
    "E040": "--trace-out names no trace format (.itf.json or .jsonl)",
    "E041": "several traces to write but the file name has no {seq}",
    "E042": "invalid trace map (--map)",
    "E043": "no trace file matches",
    # -- E060-E069: Dask clusters (--workers, --cluster; docs/distributed.md) --------------
    "E060": "--workers or --cluster without Dask distributed installed (the `cluster` extra)",
    "E061": "the Dask scheduler (--cluster) cannot be reached or has no workers",
    "E062": "this run cannot be distributed (engine, options or spec)",
    # -- E050-E059: the installation (packaging) -----------------------------------------------
    "E050": "an optional dependency is not installed (the error names the extra)",
    "E051": "no bundled example of that name (numaspec examples lists them)",
    # -- E1xx: syntax ---------------------------------------------------------------------
    "E100": "unexpected character",
    "E101": "unexpected token",
    "E102": "unexpected end of file",
    "E103": "nesting too deep",
    "E104": "missing `spec NAME` or `module NAME` header",
    "E105": "unterminated comment or string",
    "E106": "integer literal too large",
    # -- E120-E129: the executing node and kernel authority (here(); spec/lib/l4.numa) -----
    "E120": "`here()` outside an action (in an invariant, property, init or workload)",
    "E121": "`here()` in an action without `on`",
    # -- E2xx: names, modules -------------------------------------------------------------
    "E200": "unknown name",
    "E201": "duplicate definition",
    "E202": "import not found",
    "E203": "cyclic import",
    "E204": "import escapes the spec tree",
    "E205": "unknown member of a module, record or enum",
    "E206": "recursive procedure or function",
    "E207": "wrong kind of name (e.g. a type where a value is expected)",
    "E208": "unknown or misplaced annotation",
    "E209": "invalid declaration in this context",
    "E210": "unknown topology entry",
    # -- E3xx: types ----------------------------------------------------------------------
    "E300": "type mismatch",
    "E301": "wrong number of arguments",
    "E302": "not a finite type",
    "E303": "operator not defined for these operand types",
    "E304": "not assignable",
    "E305": "invalid type expression",
    "E306": "empty type",
    "E307": "cannot infer the type",
    "E308": "invalid use of a temporal operator",
    "E309": "not a channel",
    "E310": "invalid pattern",
    # E311-E319: what cannot be enumerated or compiled (tests/hostile/)
    "E311": "too many action instances to enumerate",
    # -- E4xx: constants, overrides, topology ---------------------------------------------
    "E400": "not a constant expression",
    "E401": "unknown constant in override",
    "E402": "bad override value",
    "E403": "error evaluating a constant",
    "E404": "invalid topology",
    "E405": "symmetry not supported",
    # E406-E409: symmetry (spec/ir/symmetry/, checker/explicit/symmetry.py)
    "E406": "symmetry group too large for symmetry reduction",
    "E410": "a workload weight is negative (simulate --workload)",
    # -- W7xx: what a complete check found suspicious (numaspec check) ---------------------
    "W701": "reachable property never reached",
    "W702": "action never fired",
    "W703": "leads_to not checked by bounded model checking",
    # -- E5xx: traces (numaspec trace; docs/traces.md) --------------------------------------
    "E500": "trace line is not valid JSON",
    "E501": "trace line is not a trace record",
    "E502": "trace line too long",
    "E503": "invalid trace header (#meta)",
    "E504": "unknown action in a trace event",
    "E505": "unknown or missing argument in a trace event",
    "E506": "ill-typed value in a trace",
    "E507": "unknown variable or view in a trace observation",
    "E508": "invalid ITF document",
    "E509": "the trace's constants or topology do not fit the spec",
    # E510-E519: JSON that json.loads accepts but a trace must not hold
    "E510": "duplicate key in a JSON object of a trace",
    "E511": "number in a trace too long to read",
    # E520-E539: per-node logs under causal order (traces/causal/; docs/traces.md)
    "E520": "malformed causal metadata in a trace event (vc, sent, received)",
    "E521": "a vector clock goes backwards or does not advance",
    "E522": "a receive before its send: the causal order has a cycle",
    "E523": "a missing send, or a message sent or received twice",
    "E524": "per-node logs do not say which node they are",
    "E525": "bad --max-skew or timestamp",
    "E526": "the spec's `init` fails: it has no behaviour a trace could follow",
    # E540-E549: page-access traces and workload files (numaspec workload; docs/workloads.md)
    "E540": "not a page-access trace (its first line is not `#numaspec-trace VERSION`)",
    "E541": "unsupported page-access trace version",
    "E542": "bad page-trace header: an unknown, repeated or missing column",
    "E543": "malformed page-trace record (field count, number, op)",
    "E544": "the page-access trace has no records",
    "E545": "the page-access trace does not fit the node assignment (--assign, --cpu-map)",
    "E546": "not a workload file of this version (workload import writes them)",
    # -- E6xx/W6xx: the SMT engine (numaspec check --engine bmc, prove, lint) ----------------
    "E600": "construct not supported by the SMT engine",
    "E601": "unknown invariant",
    "W610": "action can never be enabled",
    "W611": "invariant is a tautology",
    "W612": "invariant is a contradiction",
    "W613": "require implied by earlier ones",
    "W614": "branch never taken",
    # -- E630-E649/W650-W659: invariant inference (numaspec infer, prove --lemmas) -----------
    "E630": "a lemma file may only declare invariants and the funs and types they use",
    "E631": "bad inference option",
}
