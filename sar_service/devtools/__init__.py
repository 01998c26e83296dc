"""Developer tools (not used at run time)."""
