"""Readers that turn every usable data set in ``shared/data`` into one record format with Perspective attributes.

Each data set labels only some attributes, with its own scheme; a reader maps that scheme to the six production
attributes and leaves ``None`` wherever the set says nothing, so training fits each attribute only on rows that
really label it. Mapping choices are documented next to each reader (and rendered into the model card through
``MAPPING_NOTES``).

Splits: official test splits stay test. Sets without an official split are split by a hash of the normalised text
(bucket 0 of 10 → test, bucket 1 → dev, the rest → train); sets with an official test but no dev split get their dev
from bucket 1 of the training part. :func:`load_records` then removes every train/dev row whose normalised text is
also in any test split (including the evaluation-only sets), and every train row whose text is in a dev split.

Records carry a ``language``; German, Turkish, Arabic and Russian readers follow the English ones, and
:func:`load_records` reads only the readers of the languages asked for (English by default).
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from civility.scoring.types import EXTRA_ATTRIBUTES, PRODUCTION_ATTRIBUTES
from civility.text.normalize import normalize

TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT = PRODUCTION_ATTRIBUTES
SEXUALLY_EXPLICIT, SPAM = EXTRA_ATTRIBUTES
SPLITS: tuple[str, ...] = ("train", "dev", "test")
HASH_BUCKETS = 10

Label = int | None


@dataclass(frozen=True)
class Record:
    """One labelled text. ``labels`` maps every production attribute to 1, 0 or None (the set says nothing)."""

    text: str
    dataset: str
    split: str
    labels: Mapping[str, Label]
    language: str = "en"
    # Continuous reference scores (Perspective's own scores, Ruddit's offensiveness) kept for rank correlation.
    reference: Mapping[str, float] = field(default_factory=dict)

    def label(self, attribute: str) -> Label:
        return self.labels.get(attribute)


def text_key(text: str) -> str:
    """Identity of a text for de-duplication and hash splits: normalised, lower-cased, whitespace collapsed.

    Normalised with rule set 1, the one the splits were drawn with: a better normaliser must not move a training row
    into a test split of models already trained."""
    folded = re.sub(r"\s+", " ", normalize(text, rules=1).lower()).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def hash_bucket(text: str) -> int:
    return int(text_key(text)[:8], 16) % HASH_BUCKETS


def hash_split(text: str, official_test: bool = False) -> str:
    """Deterministic split of a set without one (bucket 0 → test, 1 → dev, others → train).

    For sets that have an official test split, bucket 0 is simply training data.
    """
    bucket = hash_bucket(text)
    if bucket == 1:
        return "dev"
    if bucket == 0 and not official_test:
        return "test"
    return "train"


def make_labels(**given: Label) -> dict[str, Label]:
    """All six attributes; ``None`` unless given. A text a set calls not toxic carries none of the sub-attributes.

    The extra attributes (SEXUALLY_EXPLICIT, SPAM) appear only when a reader gives them explicitly (``Record.label``
    answers ``None`` for them otherwise), so the six-attribute records of the linear model are unchanged."""
    labels: dict[str, Label] = {attribute: given.get(attribute) for attribute in PRODUCTION_ATTRIBUTES}
    unknown = set(given) - set(PRODUCTION_ATTRIBUTES) - set(EXTRA_ATTRIBUTES)
    if unknown:
        raise ValueError(f"unknown attributes {sorted(unknown)}")
    for attribute in EXTRA_ATTRIBUTES:
        if attribute in given:
            labels[attribute] = given[attribute]
    if labels[TOXICITY] == 0:
        for attribute in PRODUCTION_ATTRIBUTES:
            if labels[attribute] is None:
                labels[attribute] = 0
    return labels


def _csv_rows(path: Path, delimiter: str = ",", fieldnames: list[str] | None = None) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter, fieldnames=fieldnames)


def _clean(text: str) -> str:
    """Undo HTML entities (tweets, SBIC) and trim; nothing else, so the text stays what users wrote."""
    return html.unescape(text or "").strip()


def _flag(value: str, threshold: float = 0.5) -> int:
    return int(float(value or 0) >= threshold)


# --------------------------------------------------------------------------------------------- English readers


def read_davidson(folder: Path) -> Iterator[Record]:
    """Davidson 2017: hate (0) → TOXICITY+IDENTITY_ATTACK; offensive (1) → TOXICITY+PROFANITY (mostly profane
    words and slurs), not IDENTITY_ATTACK; neither (2) → all 0. Hate rows say nothing about PROFANITY."""
    for row in _csv_rows(folder / "labeled_data.csv"):
        text = _clean(row["tweet"])
        cls = int(row["class"])
        if cls == 0:
            labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=1)
        elif cls == 1:
            labels = make_labels(TOXICITY=1, PROFANITY=1, IDENTITY_ATTACK=0)
        else:
            labels = make_labels(TOXICITY=0)
        yield Record(text, "davidson2017", hash_split(text), labels)


def _olid_labels(a: str, b: str, c: str) -> dict[str, Label]:
    """OLID: OFF → TOXICITY; UNT (untargeted profanity) → PROFANITY=1, INSULT=0; TIN (targeted insult or threat)
    → INSULT=1; GRP target → IDENTITY_ATTACK=1 (groups include political ones: approximate), IND/OTH target → 0."""
    if a == "NOT":
        return make_labels(TOXICITY=0)
    if b == "UNT":
        return make_labels(TOXICITY=1, PROFANITY=1, INSULT=0, IDENTITY_ATTACK=0)
    if b == "TIN":
        identity = 1 if c == "GRP" else (0 if c in ("IND", "OTH") else None)
        return make_labels(TOXICITY=1, INSULT=1, IDENTITY_ATTACK=identity)
    return make_labels(TOXICITY=1)


def _olid_test_labels(folder: Path, level: str) -> dict[str, str]:
    text = (folder / f"labels-level{level}.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in re.split(r"[\r\n]+", text):
        parts = [part.strip() for part in line.split(",")]
        if len(parts) == 2 and parts[0].isdigit():
            out[parts[0]] = parts[1]
    return out


def read_olid(folder: Path) -> Iterator[Record]:
    """OLID / OffensEval 2019: official train (hash → train/dev) and official test (levels A, B, C joined by id)."""
    for row in _csv_rows(folder / "olid-training-v1.0.tsv", delimiter="\t"):
        text = _clean(row["tweet"])
        labels = _olid_labels(row["subtask_a"], row["subtask_b"], row["subtask_c"])
        yield Record(text, "olid", hash_split(text, official_test=True), labels)
    level_a, level_b, level_c = (_olid_test_labels(folder, level) for level in "abc")
    for row in _csv_rows(folder / "testset-levela.tsv", delimiter="\t"):
        ident = row["id"].strip()
        text = _clean(row["tweet"])
        labels = _olid_labels(level_a[ident], level_b.get(ident, "NULL"), level_c.get(ident, "NULL"))
        yield Record(text, "olid", "test", labels)


def read_stormfront(folder: Path) -> Iterator[Record]:
    """Stormfront: hate (attack on a group by the guidelines) → IDENTITY_ATTACK=1, TOXICITY=1; noHate → all 0.
    ``relation`` (hateful only in context) and ``idk/skip`` are dropped. sampled_test is the official test."""
    for row in _csv_rows(folder / "stormfront_sentences.csv"):
        if row["label"] not in ("hate", "noHate"):
            continue
        text = _clean(row["text"])
        labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=1) if row["label"] == "hate" else make_labels(TOXICITY=0)
        split = "test" if row["split"] == "sampled_test" else hash_split(text, official_test=True)
        yield Record(text, "stormfront", split, labels)


def read_ethos(folder: Path) -> Iterator[Record]:
    """ETHOS: isHate ≥ 0.5 → TOXICITY=1, IDENTITY_ATTACK=1; THREAT from the multi-label ``violence`` (≥ 0.5) for
    hateful comments. Non-hateful comments (curated hard cases) are left None for TOXICITY — they may still be
    rude — but are 0 for IDENTITY_ATTACK and THREAT."""
    violence: dict[str, int] = {}
    for row in _csv_rows(folder / "Ethos_Dataset_Multi_Label.csv", delimiter=";"):
        violence[_clean(row["comment"])] = _flag(row["violence"])
    for row in _csv_rows(folder / "Ethos_Dataset_Binary.csv", delimiter=";"):
        text = _clean(row["comment"])
        if _flag(row["isHate"]):
            labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=1, THREAT=violence.get(text))
        else:
            labels = make_labels(IDENTITY_ATTACK=0, THREAT=0)
        yield Record(text, "ethos", hash_split(text), labels)


_CONVABUSE_IDENTITY_TYPES = ("ableist", "homophobic", "racist", "sexist", "transphobic")


def _convabuse_labels(row: Mapping[str, str]) -> dict[str, Label] | None:
    """ConvAbuse (abuse of chatbots): majority of annotators chose -1/-2/-3 → TOXICITY; majority of all annotators
    chose -2/-3 (strongly / very strongly) → SEVERE_TOXICITY; among abusive items, a majority of annotators marking
    an identity-based type → IDENTITY_ATTACK, and targeting the individual agent → INSULT (unless the majority
    type is sexual harassment, which is not an insult in Perspective's sense). A majority marking sexual harassment
    → SEXUALLY_EXPLICIT=1; other abusive and all non-abusive items → SEXUALLY_EXPLICIT=0."""
    annotators = sorted({key.split("_", 1)[0] for key in row if key.startswith("Annotator")})
    votes: list[Mapping[str, int]] = []
    for name in annotators:
        if not row.get(f"{name}_is_abuse.1", ""):
            continue
        # An annotator who saw an item twice has "1, 1"-style cells: the first judgement counts.
        votes.append(
            {
                key[len(name) + 1 :]: int(float((value or "0").split(",")[0]))
                for key, value in row.items()
                if key.startswith(name + "_")
            }
        )
    if not votes:
        return None
    total = len(votes)

    def share(*keys: str) -> float:
        return sum(1 for vote in votes if any(vote.get(key, 0) for key in keys)) / total

    abusive = share("is_abuse.-1", "is_abuse.-2", "is_abuse.-3") > 0.5
    if not abusive:
        return make_labels(TOXICITY=0, SEXUALLY_EXPLICIT=0)
    severe = int(share("is_abuse.-2", "is_abuse.-3") > 0.5)
    identity = int(share(*_CONVABUSE_IDENTITY_TYPES) > 0.5)
    harassment = share("sex_harassment") > 0.5
    insult = int(share("target.individual") > 0.5 and not harassment)
    return make_labels(
        TOXICITY=1, SEVERE_TOXICITY=severe, IDENTITY_ATTACK=identity, INSULT=insult, SEXUALLY_EXPLICIT=int(harassment)
    )


def read_convabuse(folder: Path) -> Iterator[Record]:
    for split, name in (("train", "train"), ("dev", "valid"), ("test", "test")):
        for row in _csv_rows(folder / f"ConvAbuseEMNLP{name}.csv"):
            labels = _convabuse_labels(row)
            text = _clean(row["user"])
            if labels is not None and text:
                yield Record(text, "convabuse", split, labels)


def read_ruddit(folder: Path) -> Iterator[Record]:
    """Ruddit offensiveness in [-1, 1]: ≥ 0.25 → TOXICITY=1, < 0 → 0, in between None (ambiguous);
    ≥ 0.5 → SEVERE_TOXICITY=1, < 0.25 → 0. The score itself is kept for rank correlation."""
    for row in _csv_rows(folder / "ruddit_with_text.csv"):
        text = _clean(row["txt"])
        if not text or text in ("[deleted]", "[removed]"):
            continue
        score = float(row["offensiveness_score"])
        toxic = 1 if score >= 0.25 else (0 if score < 0 else None)
        severe = 1 if score >= 0.5 else (0 if score < 0.25 else None)
        labels = make_labels(TOXICITY=toxic, SEVERE_TOXICITY=severe)
        yield Record(text, "ruddit", hash_split(text), labels, reference={TOXICITY: score})


def read_dynahate(folder: Path) -> Iterator[Record]:
    """DynaHate (hate = abuse aimed at a protected group): hate → IDENTITY_ATTACK=1 and TOXICITY=1; nothate →
    IDENTITY_ATTACK=0 but TOXICITY None (contrast perturbations may stay rude). type ``threatening`` → THREAT=1,
    other given types and nothate → THREAT=0, ``notgiven`` (round 1) → None. Only dev and test exist: the official
    dev is split by hash into our train (90%) and dev (10%); the official test stays test."""
    for split_name in ("dev", "test"):
        for row in _csv_rows(folder / f"dynahate_{split_name}.csv"):
            text = _clean(row["text"])
            hate = row["label"] == "hate"
            kind = row["type"]
            threat = 1 if kind == "threatening" else (None if kind == "notgiven" else 0)
            if hate:
                labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=1, THREAT=threat)
            else:
                labels = make_labels(IDENTITY_ATTACK=0, THREAT=0)
            split = "test" if split_name == "test" else ("dev" if hash_bucket(text) == 1 else "train")
            yield Record(text, "dynahate", split, labels)


def read_sbic(folder: Path) -> Iterator[Record]:
    """SBIC: offensiveYN ≥ 0.5 → TOXICITY; an offensive post implying something about a group (non-empty
    targetMinority, whoTarget ≥ 0.5) → IDENTITY_ATTACK=1, offensive at an individual (whoTarget = 0) → 0.
    sexYN ≥ 0.5 (lewd / sexual content) → SEXUALLY_EXPLICIT=1, else 0 (on every post).
    Only dev and test exist: dev is hash-split into train/dev, test stays test."""
    for split_name, file_name in (("dev", "SBIC.v2.agg.dev.csv"), ("test", "SBIC.v2.agg.tst.csv")):
        for row in _csv_rows(folder / file_name):
            text = _clean(row["post"])
            if not text:
                continue
            sexual = _flag(row.get("sexYN", ""))
            if not _flag(row["offensiveYN"]):
                labels = make_labels(TOXICITY=0, SEXUALLY_EXPLICIT=sexual)
            else:
                group = row["targetMinority"].strip() not in ("", "[]") and _flag(row["whoTarget"])
                individual = row["whoTarget"].strip() != "" and float(row["whoTarget"]) == 0.0
                labels = make_labels(
                    TOXICITY=1, IDENTITY_ATTACK=1 if group else (0 if individual else None), SEXUALLY_EXPLICIT=sexual
                )
            split = "test" if split_name == "test" else ("dev" if hash_bucket(text) == 1 else "train")
            yield Record(text, "sbic", split, labels)


def read_civil_comments(folder: Path) -> Iterator[Record]:
    """Civil Comments toxic sample: positives only (TOXICITY=1) from news comments — the target domain."""
    for row in _csv_rows(folder / "test_toxic.csv"):
        text = _clean(row["comment_text"])
        if text:
            yield Record(text, "civil-comments", hash_split(text), make_labels(TOXICITY=1))


_JIGSAW_COLUMNS = {
    "toxic": TOXICITY,
    "severe_toxic": SEVERE_TOXICITY,
    "identity_hate": IDENTITY_ATTACK,
    "insult": INSULT,
    "obscene": PROFANITY,
    "threat": THREAT,
}


def read_jigsaw(folder: Path) -> Iterator[Record]:
    """Jigsaw Toxic (Wikipedia): the balanced binary file → TOXICITY; the three tiny 6-label samples map
    toxic/severe_toxic/identity_hate/insult/obscene/threat one-to-one (obscene → PROFANITY). Hash splits."""
    for row in _csv_rows(folder / "robtest_jigsaw_binary_test.csv", fieldnames=["text", "label"]):
        text = _clean(row["text"])
        if text:
            yield Record(text, "jigsaw-toxic", hash_split(text), make_labels(TOXICITY=int(row["label"])))
    for name in ("keitakurita_jigsaw_train_sample.csv", "keitakurita_jigsaw_test_sample.csv", "ibm_max_jigsaw_test_examples.csv"):
        for row in _csv_rows(folder / name):
            text = _clean(row["comment_text"])
            labels = make_labels(**{attr: int(row[column]) for column, attr in _JIGSAW_COLUMNS.items()})
            yield Record(text, "jigsaw-toxic-6", hash_split(text), labels)


_PERSPECTIVE_COLUMNS = {
    TOXICITY: "TOXICITY@6",
    SEVERE_TOXICITY: "SEVERE_TOXICITY@2",
    IDENTITY_ATTACK: "IDENTITY_ATTACK",
    INSULT: "INSULT",
    PROFANITY: "PROFANITY",
    THREAT: "THREAT",
}


def read_perspective_scores(folder: Path) -> Iterator[Record]:
    """Perspective's own 2018 scores on Wikipedia comments (machine labels, not human): each attribute's score
    ≥ 0.5 → 1, else 0 (a light distillation towards Perspective's behaviour); the scores are kept so evaluation
    can report rank agreement with Perspective on the held-out bucket. Its SEXUALLY_EXPLICIT and SPAM scores are kept
    as reference scores only."""
    for row in _csv_rows(folder / "perspective_wikipedia_2k_score_sample_20180829.csv"):
        text = _clean(row["comment_text"])
        scores = {attr: float(row[column]) for attr, column in _PERSPECTIVE_COLUMNS.items()}
        labels = make_labels(**{attr: int(score >= 0.5) for attr, score in scores.items()})
        reference = dict(scores)
        for attr in EXTRA_ATTRIBUTES:  # reference scores only (rank agreement), never labels
            if row.get(attr):
                reference[attr] = float(row[attr])
        yield Record(text, "perspective-wiki", hash_split(text), labels, reference=reference)


def read_toxigen_seeds(folder: Path) -> Iterator[Record]:
    """ToxiGen seeds (implicit hate vs neutral mentions of the same groups): hate → TOXICITY=1, IDENTITY_ATTACK=1;
    neutral → all 0 (valuable negatives that mention identities)."""
    for row in _csv_rows(folder / "toxigen_seed_sentences.csv"):
        text = _clean(row["text"])
        labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=1) if row["label"] == "hate" else make_labels(TOXICITY=0)
        yield Record(text, "toxigen-seeds", hash_split(text), labels)


def read_wiki_toxicity_test(folder: Path) -> Iterator[Record]:
    """Wikipedia Talk toxicity test set (non-fuzzed) from the bias-analysis repo: evaluation only (TOXICITY)."""
    for row in _csv_rows(folder / "wiki_toxicity_nonfuzzed_testset.csv"):
        text = _clean(row["comment"])
        yield Record(text, "wiki-toxicity", "test", make_labels(TOXICITY=int(row["toxic"] == "True")))


def read_youtube_spam(folder: Path) -> Iterator[Record]:
    """YouTube Spam Collection (comments under five music videos): CLASS 1 → SPAM=1, 0 → SPAM=0; no other
    attribute is labelled (spam says nothing about toxicity). Hash splits."""
    for path in sorted(folder.glob("Youtube0*.csv")):
        for row in _csv_rows(path):
            text = _clean(row["CONTENT"])
            if text:
                yield Record(text, "youtube-spam", hash_split(text), make_labels(SPAM=int(row["CLASS"])))


# ----------------------------------------------------------------------------------------- non-English readers


def _tweet(text: str) -> str:
    """Undo the shared-task line-break markers (GermEval ``|LBR|``, OSACT ``<LF>``) and HTML entities."""
    return _clean(text.replace("|LBR|", "\n").replace("<LF>", "\n"))


def _germeval2018_labels(coarse: str, fine: str) -> dict[str, Label]:
    """GermEval 2018: OTHER → all 0; OFFENSE → TOXICITY=1. The fine labels are exclusive: INSULT (an individual
    is insulted) → INSULT=1; PROFANITY (swearing without insulting intent) → PROFANITY=1; ABUSE (a target is
    degraded for a social identity: ethnicity, religion, gender, but also political groups) → IDENTITY_ATTACK=1
    (approximate, like OLID's GRP). Each fine label is a negative for the other two fine attributes."""
    if coarse == "OTHER":
        return make_labels(TOXICITY=0)
    return make_labels(
        TOXICITY=1, IDENTITY_ATTACK=int(fine == "ABUSE"), INSULT=int(fine == "INSULT"), PROFANITY=int(fine == "PROFANITY")
    )


def read_germeval2018(folder: Path) -> Iterator[Record]:
    """GermEval 2018 (German tweets): official training file (hash → train/dev) and official test file."""
    for name, official in (("germeval2018.training.txt", "train"), ("germeval2018.test.txt", "test")):
        with (folder / name).open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                text = _tweet(parts[0])
                split = "test" if official == "test" else hash_split(text, official_test=True)
                yield Record(text, "germeval2018", split, _germeval2018_labels(parts[1], parts[2]), language="de")


def read_germeval2021(folder: Path) -> Iterator[Record]:
    """GermEval 2021 (comments under a German political talk show's Facebook posts): Sub1_Toxic → TOXICITY (its
    toxic class spans insults, vulgarity, discrimination, sarcasm and threats, so no finer attribute is derived).
    Official train (hash → train/dev) and official test."""
    for name, official in (("GermEval21_TrainData.csv", "train"), ("GermEval21_TestData.csv", "test")):
        for row in _csv_rows(folder / name):
            text = _clean(row["comment_text"])
            split = "test" if official == "test" else hash_split(text, official_test=True)
            yield Record(text, "germeval2021", split, make_labels(TOXICITY=int(row["Sub1_Toxic"])), language="de")


def _tsv_plain(path: Path) -> Iterator[list[str]]:
    """Tab-separated lines without quoting (tweets contain quote characters)."""
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_offenseval_tr(folder: Path) -> Iterator[Record]:
    """OffensEval 2020 Turkish (sub-task A): OFF → TOXICITY=1, NOT → all 0; no finer labels exist. Official
    training file (hash → train/dev) and official test joined with ``offenseval-tr-labela-v1.tsv`` by id."""
    for row in _tsv_plain(folder / "offenseval-tr-training-v1.tsv"):
        if len(row) != 3 or row[2] not in ("OFF", "NOT"):
            continue
        text = _tweet(row[1])
        yield Record(text, "offenseval2020-tr", hash_split(text, official_test=True), make_labels(TOXICITY=int(row[2] == "OFF")), language="tr")
    gold: dict[str, str] = {}
    for line in (folder / "offenseval-tr-labela-v1.tsv").read_text(encoding="utf-8").splitlines():
        parts = [part.strip() for part in line.split(",")]
        if len(parts) == 2:
            gold[parts[0]] = parts[1]
    for row in _tsv_plain(folder / "offenseval-tr-testset-v1.tsv"):
        if len(row) != 2 or row[0] not in gold:
            continue
        yield Record(_tweet(row[1]), "offenseval2020-tr", "test", make_labels(TOXICITY=int(gold[row[0]] == "OFF")), language="tr")


def read_osact2020(folder: Path) -> Iterator[Record]:
    """OSACT 2020 / OffensEval 2020 Arabic: OFF → TOXICITY=1; HS (hate speech: insult or threat aimed at a group
    for its religion, ethnicity, nationality, ideology or similar) → IDENTITY_ATTACK=1, NOT_HS → 0. The official
    test labels are not in shared/data, so the official dev set is our test set and our dev comes from the
    training file by hash."""
    for name, official in (("OSACT2020-sharedTask-train.txt", "train"), ("OSACT2020-sharedTask-dev.txt", "test")):
        for row in _tsv_plain(folder / name):
            if len(row) != 3 or row[1] not in ("OFF", "NOT_OFF"):
                continue
            text = _tweet(row[0])
            if row[1] == "NOT_OFF" and row[2] != "HS":
                labels = make_labels(TOXICITY=0)
            else:
                labels = make_labels(TOXICITY=1, IDENTITY_ATTACK=int(row[2] == "HS"))
            split = "test" if official == "test" else hash_split(text, official_test=True)
            yield Record(text, "osact2020", split, labels, language="ar")


def read_lhsab(folder: Path) -> Iterator[Record]:
    """L-HSAB (Levantine tweets): normal → all 0; abusive → TOXICITY=1, IDENTITY_ATTACK=0; hate → TOXICITY=1,
    IDENTITY_ATTACK=1. No official split: hash split."""
    for row in _csv_rows(folder / "L-HSAB.tsv", delimiter="\t"):
        text = _clean(row["Tweet"])
        kind = (row["Class"] or "").strip()
        if not text or kind not in ("normal", "abusive", "hate"):
            continue
        labels = make_labels(TOXICITY=0) if kind == "normal" else make_labels(TOXICITY=1, IDENTITY_ATTACK=int(kind == "hate"))
        yield Record(text, "l-hsab", hash_split(text), labels, language="ar")


def read_ru_combined(folder: Path) -> Iterator[Record]:
    """Russian mixed set (VK news comments, RUSSE detox toxic sentences, 2ch/pikabu, OK.ru): target → TOXICITY
    (binary only). ``combined_train`` → hash train/dev; the author's ``combined_val`` is our test split."""
    for name, official in (("combined_train.tsv", "train"), ("combined_val.tsv", "test")):
        for row in _csv_rows(folder / name, delimiter="\t"):
            text = _clean(row["doc"])
            if not text or row["target"] not in ("0", "1"):
                continue
            split = "test" if official == "test" else hash_split(text, official_test=True)
            yield Record(text, "ru-combined", split, make_labels(TOXICITY=int(row["target"])), language="ru")


def read_ru_vk(folder: Path) -> Iterator[Record]:
    """Russian Distorted Toxicity (VK news-media comments, 126 with obfuscated words): an extra test set only —
    its hash bucket 0 (about 300 comments). Every VK comment is also in the combined set, so these rows are removed
    from its training part by the de-duplication; the other buckets are not yielded (they are trained on through the
    combined set). toxicity → TOXICITY."""
    for row in _csv_rows(folder / "russian_distorted_toxicity.tsv", delimiter="\t"):
        text = _clean(row["comments"])
        if text and row["toxicity"] in ("0", "1") and hash_bucket(text) == 0:
            yield Record(text, "ru-vk", "test", make_labels(TOXICITY=int(row["toxicity"])), language="ru")


@dataclass(frozen=True)
class Reader:
    """A data set's reader: folder under the data dir, language, and the function producing its records."""

    folder: str
    language: str
    read: Callable[[Path], Iterable[Record]]


READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "davidson2017": Reader("davidson2017", "en", read_davidson),
        "olid": Reader("olid", "en", read_olid),
        "stormfront": Reader("stormfront", "en", read_stormfront),
        "ethos": Reader("ethos", "en", read_ethos),
        "convabuse": Reader("convabuse", "en", read_convabuse),
        "ruddit": Reader("ruddit", "en", read_ruddit),
        "dynahate": Reader("dynahate", "en", read_dynahate),
        "sbic": Reader("sbic", "en", read_sbic),
        "civil-comments": Reader("civil-comments-toxic-sample", "en", read_civil_comments),
        "jigsaw-toxic": Reader("jigsaw-toxic-samples", "en", read_jigsaw),
        "perspective-wiki": Reader("perspective-wiki2k-scores", "en", read_perspective_scores),
        "toxigen-seeds": Reader("toxigen-seeds", "en", read_toxigen_seeds),
        "wiki-toxicity": Reader("jigsaw-bias-templates", "en", read_wiki_toxicity_test),
        "youtube-spam": Reader("youtube-spam", "en", read_youtube_spam),
        "germeval2018": Reader("germeval2018", "de", read_germeval2018),
        "germeval2021": Reader("germeval2021", "de", read_germeval2021),
        "offenseval2020-tr": Reader("offenseval2020-tr", "tr", read_offenseval_tr),
        "osact2020": Reader("arabic-offensive", "ar", read_osact2020),
        "l-hsab": Reader("arabic-offensive", "ar", read_lhsab),
        "ru-combined": Reader("ru-toxicity-vk", "ru", read_ru_combined),
        "ru-vk": Reader("ru-toxicity-vk", "ru", read_ru_vk),
    }
)

# Sets used only for evaluation (never trained on), beyond the test splits of the readers above.
BIAS_TEMPLATES = ("jigsaw-bias-templates", "en_sentence_templates.csv")

def mapping_notes(language: str) -> dict[str, str]:
    """Each reader's label-mapping note (its docstring, one line) for the readers of ``language``."""
    return {
        name: " ".join((reader.read.__doc__ or "").split()) for name, reader in READERS.items() if reader.language == language
    }


# The English notes (rendered into the English model card).
MAPPING_NOTES: Mapping[str, str] = MappingProxyType(mapping_notes("en"))


def _held_out_texts(data_dir: Path) -> Iterator[str]:
    """Texts of evaluation-only files that are not records (bias templates): kept out of training too."""
    folder, name = BIAS_TEMPLATES
    path = data_dir / folder / name
    if path.exists():
        for row in _csv_rows(path):
            yield row["phrase"]
    fuzzed = data_dir / folder / "wiki_toxicity_fuzzed_testset.csv"
    if fuzzed.exists():
        for row in _csv_rows(fuzzed):
            yield row["comment"]


@dataclass(frozen=True)
class DataReport:
    """What loading did: rows per dataset and split, and how many were dropped as duplicates of held-out text."""

    counts: Mapping[str, Mapping[str, int]]
    dropped_duplicates: int


def load_records(
    data_dir: Path,
    languages: Iterable[str] = ("en",),
    datasets: Iterable[str] | None = None,
    extra: Iterable[Record] = (),
) -> tuple[list[Record], DataReport]:
    """All records of the chosen languages (plus ``extra`` rows made elsewhere, e.g. written training cases),
    de-duplicated so no test text is trained or tuned on and no dev text is trained on."""
    wanted = set(languages)
    names = list(datasets) if datasets is not None else list(READERS)
    raw: list[Record] = []
    for name in names:
        reader = READERS[name]
        if reader.language not in wanted:
            continue
        raw.extend(record for record in reader.read(data_dir / reader.folder) if record.text)
    raw.extend(record for record in extra if record.text and record.language in wanted)
    keys = [text_key(record.text) for record in raw]
    test_keys = {key for key, record in zip(keys, raw) if record.split == "test"}
    test_keys.update(text_key(text) for text in _held_out_texts(data_dir))
    dev_keys = {key for key, record in zip(keys, raw) if record.split == "dev"}
    kept: list[Record] = []
    dropped = 0
    for key, record in zip(keys, raw):
        if record.split != "test" and key in test_keys or record.split == "train" and key in dev_keys:
            dropped += 1
            continue
        kept.append(record)
    counts: dict[str, dict[str, int]] = {}
    for record in kept:
        per_split = counts.setdefault(record.dataset, {split: 0 for split in SPLITS})
        per_split[record.split] += 1
    return kept, DataReport(counts=counts, dropped_duplicates=dropped)
