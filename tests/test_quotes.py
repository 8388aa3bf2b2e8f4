"""Quoted stretches: marks paired in order, apostrophes and measures told apart (quotes.py)."""

import pytest

from languagecheck.quotes import quoted_ranges


def quoted(text):
    return [text[a:b] for a, b in quoted_ranges(text)]


@pytest.mark.parametrize("text, expected", [
    ("She called him her 'boyfriend'.", ["'boyfriend'"]),
    ("She called him her \u2018boyfriend\u2019.", ["\u2018boyfriend\u2019"]),
    ('She said "he is nice" today.', ['"he is nice"']),
    ("\u201cHe\u2019s my boyfriend,\u201d she said.", ["\u201cHe\u2019s my boyfriend,\u201d"]),
    ("\u201eHe is nice\u201c she said.", ["\u201eHe is nice\u201c"]),
    ("She said \u00abhe is my boyfriend\u00bb.", ["\u00abhe is my boyfriend\u00bb"]),
    # apostrophes inside single quotes, between letters
    ("She said 'he's my boyfriend' to staff.", ["'he's my boyfriend'"]),
    ("She said \u2018I love him\u2019 and \u2018he\u2019s my boyfriend\u2019.",
     ["\u2018I love him\u2019", "\u2018he\u2019s my boyfriend\u2019"]),
    ("She said 'I didn't want to' to staff.", ["'I didn't want to'"]),
    # apostrophes that are not quotation marks
    ("She left 'cos her boyfriend rang and came back at 5 o'clock.", []),
    ("She said \u2019cos he\u2019s nice.", []),
    ("She left at 5 o'clock 'til late with her 'boyfriend'.", ["'boyfriend'"]),
    ("The lads' car and the girls' phones were seized.", []),
    ("The girls' boyfriend said 'he is nice' today.", ["'he is nice'"]),
    ("In the '90s she went to the boys' club.", []),
    ("The Jones' house, and 'rock 'n' roll'.", ["'rock 'n' roll'"]),
    # feet and inches
    ('YP described as 5\'4" with dark hair, wearing a "Nike" top.', ['"Nike"']),
    ('He is 6\'2 and "big".', ['"big"']),
    ('She said "I am 15" and left.', ['"I am 15"']),
    # each mark used once, in order
    ('YP said "he\'s nice. She continues. Mum said "fine".', ['"fine"']),
    ('She said "yes" and he said "no".', ['"yes"', '"no"']),
    # a double quote may span one line break, not a paragraph
    ('"He is my boyfriend\nand I love him" she said.', ['"He is my boyfriend\nand I love him"']),
    ('She said "he is my boyfriend\n\nand" left.', []),
    # an unbalanced mark quotes nothing
    ('She said "he is my boyfriend.', []),
    ("She said 'he is my boyfriend.", []),
])
def test_quoted_ranges(text, expected):
    assert quoted(text) == expected


def test_a_long_quote_does_not_shift_the_pairing():
    speech = "he took me to the flat and then we went to another flat and " * 11
    text = f'YP said "{speech}that was it." Worker\'s view: she continues putting herself at risk. He is "babe".'
    ranges = quoted(text)
    assert ranges[0].startswith('"he took') and ranges[0].endswith('it."') and ranges[1] == '"babe"'


@pytest.mark.parametrize("text, severity", [
    ('YP described as 5\'4" with dark hair. She continues putting herself at risk. Wearing a "Nike" top.',
     "warning"),
    ("She went missing 'cos she keeps putting herself at risk with the lads' group.", "warning"),
    ('YP said "he\'s nice. She continues putting herself at risk. Mum said "fine".', "warning"),
    ("She said 'I keep putting myself at risk, putting herself at risk' to staff.", "info"),
])
def test_quote_policy_applies_only_inside_real_quotes(lexicon_scanner, text, severity):
    (f,) = [f for f in lexicon_scanner.scan(text) if f.rule == "put-self-at-risk"]
    assert f.severity == severity
