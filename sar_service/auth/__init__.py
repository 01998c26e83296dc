"""Staff authentication: passwords, two-factor, API tokens."""
