"""Evaluation metrics on hand-computed cases."""

import pytest

from languagecheck.training.metrics import false_positive_rate, sentence_prf, span_prf


def s(start, end, cat):
    return {"start": start, "end": end, "category": cat}


def test_span_prf_by_hand():
    gold = [[s(0, 10, "minimising"), s(20, 30, "criminalising")], [], [s(5, 9, "minimising")]]
    pred = [[s(8, 12, "minimising"), s(21, 25, "minimising")], [s(0, 3, "minimising")], [s(5, 9, "minimising")]]
    m = span_prf(pred, gold)
    # predictions: (8,12) hits gold 0; (21,25) wrong category; (0,3) no gold; (5,9) hits -> P = 2/4
    # gold: (0,10) found, (20,30) not found, (5,9) found -> R = 2/3
    assert m["precision"] == pytest.approx(0.5) and m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert span_prf(pred, gold, "criminalising")["recall"] == 0.0


def test_sentence_prf_and_fpr_by_hand():
    m = sentence_prf([True, True, False, False], [True, False, True, False])
    assert (m["precision"], m["recall"]) == (0.5, 0.5)
    assert false_positive_rate([True, False, True, False], [True, True, False, False]) == 0.5
    assert false_positive_rate([True], [False]) == 0.0
