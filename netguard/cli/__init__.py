"""The command-line interface of SPEC §6; one module per command group."""
