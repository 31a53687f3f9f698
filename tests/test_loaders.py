"""Each loader on a real file of its format, written by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_files import write_pdf

from index.errors import LoadError, UnsupportedFile
from index.loaders import load_document


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_pdf(path, "Moonshot AI raised new funding for Kimi")
    doc = load_document(path)
    assert "Moonshot AI raised new funding for Kimi" in doc.text
    assert doc.format == "pdf"


def test_truncated_pdf_is_a_load_error(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    write_pdf(good, "hello")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[:60])
    with pytest.raises(LoadError, match="PDF"):
        load_document(broken)


def test_docx_paragraphs_title_and_author(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("豆包大模型降价", level=1)
    document.add_paragraph("字节跳动把豆包主力模型的价格降到0.0008元/千Tokens。")
    document.core_properties.author = "研究部"
    path = tmp_path / "price.docx"
    document.save(str(path))
    doc = load_document(path)
    assert doc.title == "豆包大模型降价"
    assert doc.author == "研究部"
    assert "0.0008元/千Tokens" in doc.text


def test_html_article_text_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<html><head><title>AI视频赛道观察</title>
        <meta property="og:site_name" content="36氪">
        <meta name="article:published_time" content="2024-12-30T08:00:00Z">
        <script>var tracking = "ignore me";</script></head>
        <body><nav>首页 | 登录</nav><article><h1>AI视频赛道观察</h1>
        <p>可灵AI累计生成超6500万个视频。</p><p>Runway流量下滑。</p></article></body></html>""",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.title == "AI视频赛道观察"
    assert (doc.outlet, doc.date) == ("36氪", "2024-12-30")
    assert "可灵AI累计生成超6500万个视频。" in doc.text
    assert "tracking" not in doc.text and "登录" not in doc.text


def test_gb18030_text_and_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes("作者丨王五\n\n腾讯混元大模型视频生成功能上线。".encode("gb18030"))
    doc = load_document(path)
    assert doc.author == "王五" and "腾讯混元" in doc.text
    other = tmp_path / "sheet.xlsx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFile, match="unsupported file type '.xlsx'"):
        load_document(other)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("大" * 2000, encoding="utf-8")
    with pytest.raises(LoadError, match="over the 0 MB limit"):
        load_document(path, max_bytes=1000)
