"""The disguised-spelling evaluation: each disguise's rule, which words it touches, and a real model measured on
every disguise."""

from __future__ import annotations

from pathlib import Path

from civility.evaluation.obfuscation import (
    DISGUISES,
    ZERO_WIDTH_SPACE,
    disguised_copy,
    dotted,
    leet,
    look_alike,
    measure,
    render,
    repeated,
    spaced,
    zero_width,
)
from civility.scoring.artifact import load_scorer
from civility.training.data import Record, make_labels

MODELS = Path(__file__).resolve().parent.parent / "models"


def test_each_disguise_rewrites_a_word_its_own_way() -> None:
    assert look_alike("idiot") == "\u0456d\u0456\u043et" and look_alike("idiot").isalpha()
    assert leet("idiot") == "1d107"
    assert spaced("idiot") == "i d i o t" and dotted("idiot") == "i.d.i.o.t"
    assert repeated("idiot") == "iiiiidiot" and repeated("shh") == "shhhhhh"
    assert zero_width("idiot") == ZERO_WIDTH_SPACE.join("idiot")
    assert set(DISGUISES) >= {"look-alike letters", "leetspeak", "masking asterisks", "repeated letters"}


def test_only_listed_words_are_disguised() -> None:
    words = frozenset({"idiot"})
    assert disguised_copy("You IDIOT, idiotic take, idiot.", words, leet) == "You 1D107, idiotic take, 1d107."


def test_a_real_model_is_measured_as_written_and_under_every_disguise(tmp_path: Path) -> None:
    words = frozenset({"idiot", "stupid", "moron"})
    toxic = ["you stupid idiot", "shut up, moron", "what a stupid moron you are", "idiot, go away"]
    clean = ["the idiot box is what my gran called the telly", "a stupid mistake in the budget table", "thanks, moron free zone"]
    rows = [Record(t, "x", "test", make_labels(TOXICITY=1)) for t in toxic]
    rows += [Record(t, "x", "test", make_labels(TOXICITY=0)) for t in clean]
    scorer = load_scorer(MODELS / "minilm3-en-48")
    results = measure(scorer, rows, words)
    assert [r.disguise for r in results] == ["as written", *DISGUISES]
    column = scorer.info.attributes.index("TOXICITY")
    plain = scorer.predict_proba(toxic)[:, column]
    assert results[0].caught == (plain >= 0.5).mean()
    # Rule set 4 reads each of these disguises back to the plain words: the same catch as written.
    by_name = {r.disguise: r for r in results}
    for name in ("leetspeak", "spaced letters", "repeated letters", "zero-width characters", "dotted letters"):
        assert by_name[name].caught == results[0].caught, name
    report = render(results, "cmd", Path("words.txt"), 3, len(rows), len(toxic))
    assert "| leetspeak | " in report and "minilm3-en@48" in report
