"""Emails to parents and staff, each sent once."""
