"""Tables of this context."""
