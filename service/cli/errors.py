"""The error a command stops with."""

from __future__ import annotations


class CommandError(Exception):
    """A command that cannot go on; its message is for the user."""
