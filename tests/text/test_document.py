"""Loading sources: files in several encodings, front-matter posts, stdin, unreadable input."""

import http.server
import io
import threading

import pytest

from wxwatch.text.document import ReadOptions, SourceError, load_document, parse_document
from wxwatch.text.pages import parse_article_page


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


@pytest.fixture
def page_server():
    """A loopback HTTP server answering every GET with one GBK page (charset only in its meta tag)."""
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
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/a.html"
    server.shutdown()
    server.server_close()


def test_url_source_on_loopback_when_private_addresses_are_allowed(page_server):
    document = load_document(page_server, ReadOptions(allow_private=True))
    assert document.text == "搜一搜月活用户过7亿"


def test_url_on_a_private_address_is_refused_by_default(page_server):
    with pytest.raises(SourceError, match="refusing private address '127.0.0.1'"):
        load_document(page_server)


def test_input_over_the_size_cap_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("微信" * 600, encoding="utf-8")
    with pytest.raises(SourceError, match="larger than .crawler. max_response_bytes .1000 bytes"):
        load_document(str(path), ReadOptions(max_bytes=1000))
    assert "微信" in load_document(str(path), ReadOptions(max_bytes=4000)).text


def test_a_page_is_read_as_the_crawl_reads_it(tmp_path):
    """The same text, title and date as the crawl stores; navigation, related-headline lists and hidden blocks
    stay out."""
    related = "".join(f"<li><a href='/n{i}.html'>小程序日活突破{i}亿的另一条新闻标题</a></li>" for i in range(5, 9))
    page = (
        "<!DOCTYPE html><html><head><title>微信发布年度数据 - 某某网</title>"
        "<meta property='article:published_time' content='2024-01-10T09:00:00+08:00'></head><body>"
        "<nav><a href='/'>首页</a></nav><article><h1>微信发布年度数据</h1>"
        + "".join(f"<p>第{i}段：微信支付的商户覆盖面继续扩大，线下场景的使用频次也在增加。</p>" for i in range(6))
        + "<p>视频号日活跃用户数超过4.5亿。</p><div style='display: none'><div><p>小程序日活9亿</p></div></div>"
        "<p hidden>搜一搜月活8亿</p></article>"
        f"<aside><h3>相关阅读</h3><ul>{related}</ul></aside><footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    document = load_document(str(path))
    assert "视频号日活跃用户数超过4.5亿" in document.text
    stored = parse_article_page(path.read_bytes(), None, str(path), "Asia/Shanghai")
    assert (document.text, document.title, document.published) == (stored.text, stored.title, stored.published)
    assert "相关阅读" not in document.text and "首页" not in document.text
    assert "9亿" not in document.text and "8亿" not in document.text  # hidden blocks are never read
    assert document.published == "2024-01-10T09:00:00+08:00"
    assert document.title and document.title.startswith("微信发布年度数据")
