"""The migration scripts (see the package docstring)."""
