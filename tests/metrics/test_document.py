"""Loading sources: files in several encodings, front-matter posts, stdin, unreadable input."""

import io

import pytest

from wxwatch.text.document import SourceError, load_document, parse_document


def test_front_matter_post(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text('---\ntitle: "微信公开课"\ndate: 2022-01-07 20:04:09 +0800\n---\n<p>小程序日活突破4.5亿</p>',
                    encoding="utf-8")
    document = load_document(str(path))
    assert document.title == "微信公开课"
    assert document.published.startswith("2022-01-07")
    assert document.text == "小程序日活突破4.5亿"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_encoded_html_file(tmp_path, encoding):
    html = "<html><head><title>標題</title></head><body><p>微信月活躍用戶13億</p></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(html.encode(encoding))
    document = load_document(str(path))
    assert document.title == "標題"
    assert "微信月活躍用戶13億" in document.text


def test_plain_text_is_kept():
    assert parse_document("第一行\n第二行").text == "第一行\n第二行"


def test_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("搜一搜月活用户过7亿".encode())))
    assert load_document("-").text == "搜一搜月活用户过7亿"


def test_missing_file_raises(tmp_path):
    with pytest.raises(SourceError):
        load_document(str(tmp_path / "missing.html"))


def test_binary_file_raises(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError):
        load_document(str(path))


def test_url_source_on_loopback():
    import http.server
    import threading

    body = "<html><head><meta charset='gbk'></head><body><p>搜一搜月活用户过7亿</p></body></html>".encode("gbk")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        document = load_document(f"http://127.0.0.1:{server.server_port}/a.html")
    finally:
        server.shutdown()
        server.server_close()
    assert document.text == "搜一搜月活用户过7亿"
