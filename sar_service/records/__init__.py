"""Records gathered for a case: text extraction, redaction suggestions, redacted copies."""
