"""The CLI's commands, one module per area; `wxwatch.cli` registers them on the group."""
