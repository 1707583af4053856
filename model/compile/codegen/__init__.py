"""numaspec.model.compile.codegen."""
