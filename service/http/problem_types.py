"""The pages a problem document's `type` names: what each kind of problem means."""

from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.params import FromPath

from service.app.errors import NotFound
from service.http.problems import PROBLEM_TYPES, problem_type, status_title
from service.http.resource import problems


class ProblemType(msgspec.Struct, frozen=True):
    """What a kind of problem means."""

    type: str
    status: int
    title: str
    description: str


class ProblemTypes(Controller):
    """The pages a problem's `type` names: what each kind of problem means."""

    path = "/problems"
    tags = ["health"]

    @get(
        "/{kind:str}",
        operation_id="getProblemType",
        summary="What a kind of problem means",
        responses=problems(404),
    )
    async def kind(self, kind: FromPath[str]) -> ProblemType:
        """The kind of problem a problem document's `type` (`/problems/<kind>`) names: its
        status and what it means."""
        if kind not in PROBLEM_TYPES:
            raise NotFound("kind of problem", kind)
        status, description = PROBLEM_TYPES[kind]
        return ProblemType(problem_type(kind), status, status_title(status), description)
