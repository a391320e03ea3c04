"""Rule set 3 reads a word masked with asterisks as the commonest offensive word that fits it, letter for letter;
masks that fit nothing offensive stay as written. The word list is built from the training splits only."""

from __future__ import annotations

from pathlib import Path

import pytest

from civility.text.normalize import UNMASK_LEXICON, normalize, normalize_with_offsets
from civility.training.data import Record, make_labels
from civility.training.unmask_lexicon import build

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.parametrize(
    ("masked", "read"),
    [
        ("you st*pid id*ot", "you stupid idiot"),
        ("what an a**hole", "what an asshole"),
        ("F**K OFF", "FUCK OFF"),
        ("the s**t hit the fan", "the shit hit the fan"),
        ("motherf**ker", "motherfucker"),
        ("sc*m, all of them", "scum, all of them"),
    ],
)
def test_masked_offensive_words_are_read(masked: str, read: str) -> None:
    assert normalize(masked) == read
    assert normalize(masked, rules=2) == masked  # earlier rule sets leave masks alone


@pytest.mark.parametrize("kept", ["pr*sident Macron", "tel*graph", "*really* good", "2*3=6", "A*B testing", "5 * 4"])
def test_masks_that_fit_nothing_offensive_stay(kept: str) -> None:
    assert normalize(kept) == kept


def test_unmasking_keeps_offsets_one_for_one() -> None:
    text = "you st*pid id*ot!"
    result = normalize_with_offsets(text)
    assert result.text == normalize(text) == "you stupid idiot!"
    begin = result.text.index("idiot")
    assert result.original_span(begin, begin + 5) == (text.index("id*ot"), text.index("id*ot") + 5)


def _row(text: str, dataset: str, toxic: int, split: str = "train") -> Record:
    return Record(text, dataset, split, make_labels(TOXICITY=toxic))


def test_the_list_counts_training_rows_of_sets_with_both_labels_only() -> None:
    rows = [_row(f"you scoundrel number {i}", "both", 1) for i in range(12)]
    rows += [_row(f"a calm remark number {i}", "both", 0) for i in range(12)]
    rows += [_row(f"alaskans voted {i}", "positives-only", 1) for i in range(30)]  # every word would look toxic
    rows += [_row(f"villain villain {i}", "both", 1, split="test") for i in range(30)]  # never test rows
    words = {entry.word for entry in build(rows)}
    assert "scoundrel" in words
    assert not {"alaskans", "voted", "villain", "number", "remark"} & words


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data")
def test_the_committed_list_is_what_the_builder_writes(tmp_path: Path) -> None:
    from civility.training.unmask_lexicon import main

    out = tmp_path / "unmask.tsv"
    main(["--data-dir", str(DATA), "--out", str(out)])
    assert out.read_text(encoding="utf-8") == UNMASK_LEXICON.read_text(encoding="utf-8")


def test_the_builder_refuses_a_missing_data_folder(tmp_path: Path) -> None:
    from civility.training.unmask_lexicon import main

    with pytest.raises(SystemExit):
        main(["--data-dir", str(tmp_path / "nothing"), "--out", str(tmp_path / "unmask.tsv")])
    assert not (tmp_path / "unmask.tsv").exists()
