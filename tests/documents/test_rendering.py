import io
import re
from dataclasses import replace

import pypdf
import pytest
import segno
from pypdf.generic import DictionaryObject, IndirectObject

from portal.documents import FormalDocument, render_pdf
from portal.documents.rendering import CREATOR


def read(document: FormalDocument) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(render_pdf(document)))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def body_text_of(reader: pypdf.PdfReader) -> str:
    """The text of all pages run together, without line breaks and page numbers."""
    lines = text_of(reader).splitlines()
    return "".join(line for line in lines if not re.fullmatch(r"第 \d+ 页 共 \d+ 页", line))


def fonts_of(reader: pypdf.PdfReader) -> list[DictionaryObject]:
    fonts = {}
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            assert isinstance(reference, IndirectObject)
            fonts[reference.idnum] = reference.get_object()
    return list(fonts.values())


def test_the_result_is_a_pdf(receipt):
    data = render_pdf(receipt)

    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_chinese_title_number_field_value_and_paragraph_are_extractable_exactly(receipt):
    text = text_of(read(receipt))
    lines = text.splitlines()

    assert "受理通知书" in lines
    assert "某政服受字〔2025〕第000123号" in lines
    assert "申请事项 食品经营许可（新办）" in lines
    assert "逾期未作出决定的，视为准予许可。" in lines
    assert "2025年3月3日" in text


def test_the_only_font_is_noto_sans_sc_embedded_as_a_truetype_subset_with_a_unicode_map(receipt):
    (font,) = fonts_of(read(receipt))

    assert font["/Subtype"] == "/Type0"
    assert font["/Encoding"] == "/Identity-H"
    assert "/ToUnicode" in font
    (descendant,) = [reference.get_object() for reference in font["/DescendantFonts"]]
    assert descendant["/Subtype"] == "/CIDFontType2"
    assert re.fullmatch(r"/[A-Z]{6}\+NotoSansSC", descendant["/BaseFont"])
    descriptor = descendant["/FontDescriptor"].get_object()
    font_file = descriptor["/FontFile2"].get_object().get_data()
    # The whole font is 9.8 MB; the subset holds only the glyphs this page uses.
    assert len(font_file) < 100_000


def test_a_one_page_document_stays_small(receipt):
    data = render_pdf(receipt)

    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert len(data) < 300_000


def test_the_metadata_names_the_document_and_is_dated_when_it_was_issued(receipt):
    metadata = read(receipt).metadata

    assert metadata.title == "受理通知书"
    assert metadata.author == "某市政务服务中心"
    assert metadata.subject == "某政服受字〔2025〕第000123号"
    assert metadata.creator == CREATOR
    assert metadata.creation_date == receipt.issued_at


def test_the_same_document_renders_to_the_same_bytes(receipt):
    assert render_pdf(receipt) == render_pdf(replace(receipt))


def test_the_qr_code_decodes_to_the_verification_address(receipt):
    zxingcpp = pytest.importorskip("zxingcpp")
    (image,) = read(receipt).pages[0].images

    results = zxingcpp.read_barcodes(image.image)

    assert [(found.format, found.text) for found in results] == [
        (zxingcpp.BarcodeFormat.QRCode, receipt.verify_url)
    ]


def test_the_qr_image_holds_segnos_matrix_for_the_verification_address(receipt):
    (image,) = read(receipt).pages[0].images
    pixels = image.image.convert("L")
    code = segno.make(receipt.verify_url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = pixels.width // modules

    def is_dark(row: int, column: int) -> bool:
        # The centre of the module, past the four-module quiet zone.
        x, y = ((column + 4) * scale + scale // 2, (row + 4) * scale + scale // 2)
        return pixels.getpixel((x, y)) < 128

    drawn = [[is_dark(row, column) for column in range(len(code.matrix))] for row in range(len(code.matrix))]

    assert pixels.size == (modules * scale, modules * scale)
    assert drawn == [[bool(module) for module in row] for row in code.matrix]


def test_the_verification_address_and_caption_are_printed_and_linked(receipt):
    reader = read(receipt)
    text = text_of(reader)

    assert "扫码核验本文书真伪" in text
    assert receipt.verify_url in text.replace("\n", "")
    links = [annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0]["/Annots"]]
    assert set(links) == {receipt.verify_url}


def test_without_a_verification_address_there_is_no_qr_code(receipt):
    page = read(replace(receipt, verify_url="", verify_caption="")).pages[0]

    assert list(page.images) == []
    assert "扫码" not in page.extract_text()


def test_a_long_chinese_paragraph_wraps_over_several_pages_without_losing_a_character(receipt):
    paragraph = "".join(f"第{n}条：申请材料齐全、符合法定形式的，行政机关应当受理。" for n in range(1, 120))
    reader = read(replace(receipt, paragraphs=[paragraph], footer=""))

    assert len(reader.pages) >= 3
    assert paragraph in body_text_of(reader)
    assert "第 1 页 共 {} 页".format(len(reader.pages)) in reader.pages[0].extract_text()


def test_a_field_value_longer_than_a_page_is_split_across_pages(receipt):
    value = "很长的说明文字。" * 500
    reader = read(replace(receipt, fields=[("说明", value)], footer=""))

    assert len(reader.pages) >= 2
    assert "说明 " + value in body_text_of(reader)


def test_english_text_renders_with_whole_words(receipt):
    sentence = "The application was accepted; a decision is due by 13 March 2025, or it is deemed approved. "
    english = replace(
        receipt,
        title="Acceptance Receipt",
        paragraphs=[sentence * 3],
        verify_caption="Scan to verify",
        language="en",
    )

    text = text_of(read(english))

    assert "Acceptance Receipt" in text.splitlines()
    assert " ".join(text.split()).count(sentence.strip()) == 3
    assert "3 March 2025" in text
    assert "Page 1 of 1" in text


def test_correction_items_are_numbered_in_order(receipt):
    notice = replace(
        receipt,
        title="一次性告知书",
        items=[("营业执照复印件", "不清晰，请重新提供。"), ("健康证明", "已过期。")],
        closing_paragraphs=["请于30日内补正。"],
    )

    lines = text_of(read(notice)).splitlines()

    assert lines.index("1 营业执照复印件 不清晰，请重新提供。") < lines.index("2 健康证明 已过期。")
    assert lines.index("2 健康证明 已过期。") < lines.index("请于30日内补正。")


def test_a_footer_longer_than_three_lines_is_refused(receipt):
    with pytest.raises(ValueError, match="footer"):
        render_pdf(replace(receipt, footer="本文书可通过扫描二维码核验真伪。" * 20))


def test_the_seal_and_the_watermark_are_drawn(receipt):
    certificate = replace(receipt, title="准予许可证明", watermark="依法视为准予")

    text = text_of(read(certificate))

    assert "依法视为准予" in text
    assert "★" in text
    assert "某市政务服务中心" in "".join(text.split("★")[1].split())
