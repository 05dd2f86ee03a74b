"""The Datasette plugin of `wxwatch browse`: a metric's chart page, and metric IDs linked to it in every table."""

from __future__ import annotations

import re
from urllib.parse import quote

import jinja2
from datasette import Response, hookimpl
from markupsafe import Markup, escape

from wxwatch.canned import canned_sql
from wxwatch.report import TEMPLATES, metric_section

CHART_PATH = "/-/wxwatch/chart"
METRIC_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")


def chart_url(metric: str) -> str:
    return f"{CHART_PATH}?metric={quote(metric)}"


@hookimpl
def register_routes() -> list:
    return [(rf"^{re.escape(CHART_PATH)}$", chart_page)]


@hookimpl
def render_cell(value: object, column: str) -> Markup | None:
    """A metric ID in a `metric` column links to its chart."""
    if column == "metric" and isinstance(value, str) and METRIC_ID.fullmatch(value):
        return Markup(f'<a href="{escape(chart_url(value))}">{escape(value)}</a>')
    return None


async def chart_page(datasette, request) -> Response:
    """The timeline of ?metric=ID (the same chart as the report), its data endpoint and its history query."""
    metric = request.args.get("metric", "")
    database = datasette.get_database()
    current = [dict(row) for row in (await database.execute(canned_sql("current_values"))).rows
               if row["metric"] == metric]
    if not current:
        return Response.html(f"<p>No value recorded for metric {escape(metric)!s}.</p>", status=404)
    history = [dict(row) for row in (await database.execute(canned_sql("metric_history"), {"metric": metric})).rows]
    query = datasette.urls.database(database.name) + "/metric_history"
    html = _template().render(section=metric_section(current[0], history), database=database.name,
                              data_url=f"{query}.json?metric={quote(metric)}&_shape=array",
                              table_url=f"{query}?metric={quote(metric)}", home=datasette.urls.instance())
    return Response.html(html)


def _template() -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return environment.get_template("chart.html")
