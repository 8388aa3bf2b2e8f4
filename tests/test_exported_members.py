import languagecheck


def test_public_api_is_small_and_sorted():
    assert languagecheck.__all__ == sorted(languagecheck.__all__)
    for name in languagecheck.__all__:
        assert getattr(languagecheck, name) is not None


def test_finding_is_frozen_and_round_trips():
    import dataclasses

    f = languagecheck.Finding(0, 3, "abc", 1, 1, "minimising", "r", "warning", "lexicon", 0.9, "m", ("x",))
    assert dataclasses.is_dataclass(f)
    try:
        f.start = 2
        raise AssertionError("Finding must be frozen")
    except dataclasses.FrozenInstanceError:
        pass
    assert languagecheck.Finding.from_dict(f.to_dict()) == f
    assert list(f.to_dict()) == ["start", "end", "text", "line", "column", "category", "rule", "severity", "source",
                                 "score", "message", "suggestions", "evidence"]
