"""A fast static HTTP/1.1 server for the benchmark site (raw asyncio, keep-alive, ETag / If-Modified-Since).

Usage: python benchmarks/loopserver.py ROOT [--port 0] [--host 127.0.0.1]   (prints the port, then serves until
killed; `--host 0.0.0.0` answers on every loopback address, 127.0.0.2, 127.0.0.3, ... being distinct hosts)

Every file under ROOT is loaded into memory with its response head prepared; `GET /__stats` answers the
request counts per kind (article, entry, other) and status, `GET /__reset` clears them.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from collections import Counter
from email.utils import formatdate
from pathlib import Path

LAST_MODIFIED = formatdate(1672531200, usegmt=True)  # 2023-01-01
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nContent-Type: text/plain\r\n\r\nnot found"


def kind_of(path: str) -> str:
    if path.endswith((".xml",)) or "/index.html" in path or "/list_" in path:
        return "entry"
    return "article" if path.endswith(".html") else "other"


class Resource:
    """One file's prepared answers: the full 200 response and the 304 one."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self.etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        head = (f"Content-Type: {content_type}\r\nETag: {self.etag}\r\nLast-Modified: {LAST_MODIFIED}\r\n").encode()
        self.ok = b"HTTP/1.1 200 OK\r\n" + head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        self.not_modified = b"HTTP/1.1 304 Not Modified\r\n" + head + b"\r\n"


def load(root: Path) -> dict[str, Resource]:
    return {"/" + p.relative_to(root).as_posix(): Resource(p.read_bytes(), TYPES.get(p.suffix, "text/plain"))
            for p in root.rglob("*") if p.is_file()}


class HttpProtocol(asyncio.Protocol):
    """Pipelining-safe request loop over one connection."""

    def __init__(self, resources: dict[str, Resource], hits: Counter) -> None:
        self.resources, self.hits, self.buffer = resources, hits, b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.transport.write(self.answer(head))
            if b"\nconnection: close" in head.lower():
                self.transport.close()
                return

    def answer(self, head: bytes) -> bytes:
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1].split("?", 1)[0]
        if path.startswith("/__"):
            return self.control(path)
        resource = self.resources.get(path)
        if resource is None:
            self.hits["other 404"] += 1
            return NOT_FOUND
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        fresh = headers.get("if-none-match") == resource.etag or headers.get("if-modified-since") == LAST_MODIFIED
        self.hits[f"{kind_of(path)} {304 if fresh else 200}"] += 1
        return resource.not_modified if fresh else resource.ok

    def control(self, path: str) -> bytes:
        body = json.dumps(dict(self.hits)).encode()
        if path == "/__reset":
            self.hits.clear()
        return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


async def serve(root: Path, port: int, host: str = "127.0.0.1") -> None:
    resources, hits = load(root), Counter()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpProtocol(resources, hits), host, port, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.root, args.port, args.host))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
