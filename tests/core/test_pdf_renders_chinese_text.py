import shutil
import subprocess

import pytest

from yiwang.core.pdf import cjk_font, simple_document


def test_pdf_embeds_a_cjk_font_when_one_is_installed():
    font, embedded = cjk_font()
    if not embedded:
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-zenhei): PDFs fall back to STSong-Light")
    pdf = simple_document("回执 Receipt", ["事项：食品经营许可", "申请人：张*"])
    assert pdf.startswith(b"%PDF")
    assert b"FontFile2" in pdf  # the TrueType font program is embedded


def test_chinese_text_can_be_read_back_from_the_pdf(tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = simple_document("一网通办 回执", ["事项：食品经营许可", "办理结果：准予许可"])
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "一网通办" in text
    assert "食品经营许可" in text
    assert "准予许可" in text
