"""The service's errors; one mapping in the HTTP layer turns them into problem responses."""

from __future__ import annotations

from dataclasses import dataclass


class ClaimledgerError(Exception):
    """Base of every error the service reports to its callers."""


@dataclass(frozen=True)
class FieldProblem:
    """One field at fault: its JSON path and what is wrong with it."""

    field: str
    message: str


class InvalidInput(ClaimledgerError):
    """The request is well-formed but names something impossible or unknown."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems

    @classmethod
    def at(cls, field: str, message: str) -> InvalidInput:
        """An error about a single field."""
        return cls([FieldProblem(field, message)])


class NotFound(ClaimledgerError):
    """The requested resource does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        shown = str(key)
        shown = shown if len(shown) <= 200 else shown[:200] + "..."
        super().__init__(f"no {kind} {shown}")
        self.kind = kind


class Conflict(ClaimledgerError):
    """Concurrent writers kept colliding; the caller may retry."""


class NotYetRead(ClaimledgerError):
    """The read models did not reach a position in the time a read may wait for it."""

    def __init__(self, position: int, reached: int, seconds: float) -> None:
        super().__init__(
            f"the read models hold events up to position {reached}, not yet {position},"
            f" after {seconds:g} s; try again shortly"
        )
