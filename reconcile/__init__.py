"""Shared layers above the per-source observations: model identity (and, later, the
reconciled price series). Pure: imports only `core`, does no I/O."""
