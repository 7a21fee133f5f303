"""Open311's writers take turns on SQLite through the shared file lock (moved to :mod:`yiwang.core.writeturn`)."""

from yiwang.core.writeturn import lock_path, writer_turn

__all__ = ["lock_path", "writer_turn"]
