"""`wxwatch browse` underneath: Datasette on a database, read-only, with wxwatch's metadata and chart plugin."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from pathlib import Path

import uvicorn
from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils import tilde_encode

from wxwatch import datasette_charts
from wxwatch.canned import NoDatabase, metadata_for

logger = logging.getLogger(__name__)

PLUGIN_NAME = "wxwatch_charts"


def build_datasette(db_path: Path) -> Datasette:
    """Datasette on `db_path` (opened `mode=ro`: it sees a running daemon's commits and writes nothing)."""
    if not db_path.is_file():
        raise NoDatabase(f"{db_path}: no database yet (run `wxwatch crawl` or `wxwatch demo` first)")
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(datasette_charts, name=PLUGIN_NAME)
    name = db_path.stem
    metadata = metadata_for(name)
    metadata["description_html"] = metadata["description_html"].replace("/wxwatch/", f"/{tilde_encode(name)}/")
    return Datasette([str(db_path)], metadata=metadata, settings={"sql_time_limit_ms": 3000})


def listening_socket(host: str, port: int) -> socket.socket:
    """Listening before the server starts: port 0 gives a real port to print, and early requests wait in the queue."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def serve(datasette: Datasette, sock: socket.socket, on_ready: Callable[[str], None]) -> None:
    """Run Datasette on `sock` until interrupted; `on_ready` gets the URL first."""
    asyncio.run(datasette.invoke_startup())
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on"))
    on_ready(f"http://{host}:{port}/")
    server.run(sockets=[sock])
