"""yiwang (一网): one platform for a district's city operations and government services."""

__version__ = "0.1.0"
