"""The workbench: pages for people, served by the service itself. They hold no logic of
their own: their scripts ask the same API as any other caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.mako import MakoTemplateEngine
from litestar.response import Template
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from service.app.reads import Readings

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


def templates() -> TemplateConfig[MakoTemplateEngine]:
    """The pages' templates (Mako, which the migrations' Alembic already brings)."""
    return TemplateConfig(directory=TEMPLATES, engine=MakoTemplateEngine)


def static_files() -> Router:
    """The pages' scripts and styles, and the vendored libraries, under /static."""
    return create_static_files_router(
        path="/static", directories=[STATIC], include_in_schema=False, cache_control=None
    )


class Workbench(Controller):
    """The pages."""

    path = "/"
    include_in_schema = False

    @get("/", name="map")
    async def map_page(self, request: Request[Any, Any, Any]) -> Template:
        """Every place with claims on a map, as of a date and as known at an instant; the
        filters live in the URL, so a view can be shared."""
        return Template(
            template_name="map.html.mako",
            context={"tiles": request.app.state.map_tiles},
        )

    @get("/place/{place_id:str}", name="place")
    async def place_page(
        self, place_id: FromPath[str], readings: NamedDependency[Readings]
    ) -> Template:
        """A place's page: its claims in claim time, contradiction periods shaded, and each
        claim with its evidence, the quote shown in its article. 404 for an unknown place."""
        place = readings.place(place_id)
        return Template(
            template_name="place.html.mako", context={"place_id": place.id, "name": place.name}
        )

    @get("/review", name="review")
    async def review_page(self) -> Template:
        """The review queue: the reader's evidence least confident first, each with its
        article and the verdicts an analyst can give; the filters live in the URL."""
        return Template(template_name="review.html.mako")
