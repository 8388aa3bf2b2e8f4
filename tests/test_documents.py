"""Reading a note's bytes: encodings, damaged files and binary data fail with named reasons."""

import pytest

from languagecheck import errors
from languagecheck.documents import decode
from languagecheck.errors import InputError

TEXT = "YP continues putting herself at risk.\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    TEXT.encode("utf-8-sig"),
    TEXT.encode("utf-16"),
    b"\xfe\xff" + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-32"),  # its BOM starts like UTF-16's: it must be read as UTF-32
    b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"),
])
def test_encodings_with_a_bom_are_decoded(data):
    assert decode(data, "n.txt") == TEXT


@pytest.mark.parametrize("data", [
    b"\xff\xfeA",  # UTF-16 with an odd byte count
    b"\xff\xfe\x00\xd8A\x00",  # a lone surrogate
    b"\xff\xfe\x00\x00\x00\x00\x11\x00",  # UTF-32 beyond U+10FFFF
])
def test_damaged_unicode_is_an_undecodable_input_error(data):
    with pytest.raises(InputError) as info:
        decode(data, "n.txt")
    assert info.value.code == errors.UNDECODABLE[0] and "n.txt" in str(info.value)
