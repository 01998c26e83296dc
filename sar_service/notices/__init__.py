"""Privacy-notice import: read an uploaded notice, parse it, answer parents from it."""
