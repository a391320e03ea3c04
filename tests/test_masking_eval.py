"""The masked-spelling evaluation: how words are masked, which comments count, and a real model measured both ways."""

from __future__ import annotations

from pathlib import Path

from civility.evaluation.masking import mask_word, masked_copy, measure, read_wordlist, render, select
from civility.scoring.artifact import load_scorer
from civility.training.data import Record, make_labels

MODELS = Path(__file__).resolve().parent.parent / "models"


def test_inner_vowels_are_masked_and_only_listed_words() -> None:
    assert mask_word("fucking") == "f*ck*ng"
    assert mask_word("Stupid") == "St*p*d"
    assert mask_word("shxt") == "s*xt"  # no inner vowel: the second letter
    words = frozenset({"idiot", "stupid"})
    assert masked_copy("You STUPID idiot, idiotic take.", words) == "You ST*P*D id**t, idiotic take."


def test_the_word_list_keeps_single_lower_case_words(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("idiot\n2 girls 1 cup\naSanchez\nass\nmoron\nass-fucker\n", encoding="utf-8")
    assert read_wordlist(path) == frozenset({"idiot", "moron"})


def test_a_real_model_loses_less_to_masks_when_it_reads_them(tmp_path: Path) -> None:
    words = frozenset({"idiot", "stupid", "moron"})
    toxic = ["you stupid idiot", "shut up, moron", "what a stupid moron you are", "idiot, go away"]
    calm = ["the stupid rain again, I forgot my umbrella", "calling people idiot helps nobody", "a moron? no, a mayor"]
    rows = [Record(t, "t", "test", make_labels(TOXICITY=1)) for t in toxic]
    rows += [Record(t, "t", "test", make_labels(TOXICITY=0)) for t in calm]
    rows += [Record("you idiot", "t", "train", make_labels(TOXICITY=1)), Record("hello", "t", "test", make_labels(TOXICITY=0))]
    chosen = select(rows, words)
    assert len(chosen) == 7  # test rows with a listed word only
    reads = measure("linear-en@29", load_scorer(MODELS / "linear-en-29"), chosen, words)  # rule set 3
    blind = measure("linear-en@26", load_scorer(MODELS / "linear-en-26"), chosen, words)  # rule set 2, same weights
    assert reads.caught_plain == blind.caught_plain
    assert reads.caught_masked > blind.caught_masked
    report = render([reads, blind], "x", tmp_path / "words.txt", 3)
    assert "| linear-en@29 | 7 | 4 |" in report


def test_missing_inputs_are_named(tmp_path: Path, capsys: object) -> None:
    import pytest

    from civility.evaluation.masking import main

    with pytest.raises(SystemExit):
        main([str(tmp_path / "no-model"), "--wordlist", str(tmp_path / "no-list.txt")])
    assert "not found" in capsys.readouterr().err  # type: ignore[attr-defined]
