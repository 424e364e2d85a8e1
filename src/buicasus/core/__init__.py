"""Pure computations (no Django, no I/O): see README.md."""
