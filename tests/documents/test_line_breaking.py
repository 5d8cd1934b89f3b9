import unicodedata

from portal.documents.line_breaking import NO_LINE_END, NO_LINE_START, wrap_text


def width(text: str) -> float:
    """Monospaced measure: a Chinese character is two units, anything else one."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def test_chinese_text_without_spaces_breaks_between_characters_and_every_line_fits():
    text = "申请人提交的材料齐全符合法定形式本机关决定予以受理" * 3

    lines = wrap_text(text, 20, width)

    assert len(lines) == 8
    assert all(width(line) <= 20 for line in lines)
    assert "".join(lines) == text


def test_a_space_early_in_a_chinese_sentence_does_not_leave_a_short_line():
    lines = wrap_text("编号 SQ01 的申请材料齐全符合法定形式", 20, width)

    assert lines == ["编号 SQ01 的申请材料", "齐全符合法定形式"]


def test_closing_punctuation_never_starts_a_line_and_opening_never_ends_one():
    text = "一二三四五六七八九，“十一”。（注）" * 6

    for line_width in range(6, 24):
        lines = wrap_text(text, line_width, width)
        assert all(line[0] not in NO_LINE_START for line in lines[1:])
        assert all(line[-1] not in NO_LINE_END for line in lines)
        assert "".join(lines) == text


def test_latin_words_stay_whole_and_breaking_spaces_are_dropped():
    lines = wrap_text("The application was accepted on 3 March 2025.", 16, width)

    assert lines == ["The application", "was accepted on", "3 March 2025."]


def test_a_word_wider_than_the_line_is_cut_between_characters():
    url = "https://portal.example.gov.cn/verify/abcdef"

    lines = wrap_text(url, 20, width)

    assert "".join(lines) == url
    assert all(width(line) <= 20 for line in lines)


def test_indent_narrows_only_the_first_line():
    lines = wrap_text("一二三四五六七八九十" * 2, 10, width, indent=4)

    assert [width(line) for line in lines] == [6, 10, 10, 10, 4]


def test_newlines_start_new_lines_and_empty_text_is_one_empty_line():
    assert wrap_text("甲\n\n乙", 10, width) == ["甲", "", "乙"]
    assert wrap_text("", 10, width) == [""]
