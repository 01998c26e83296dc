"""Case workflow: state machine, statutory clocks, background jobs."""
