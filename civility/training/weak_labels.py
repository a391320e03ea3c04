"""Weak THREAT labels for training rows whose data set says nothing about threats.

THREAT is the thinnest attribute in ``shared/data``: about 170 human-labelled positives (ETHOS ``violence``,
DynaHate ``threatening``, the tiny Jigsaw six-label sample). Meanwhile thousands of rows that other sets call
toxic — Jigsaw's Wikipedia comments, Civil Comments, Davidson's tweets — carry explicit calls for violence that
those sets never labelled as such. A labelling function (in the sense of data programming) finds the unambiguous
ones: a deontic modal or a first-person intention followed by a violent verb ("should be shot", "I will kill you",
"they all need to die", "hope you die"). It is applied only

* to **training** rows (dev and test keep their human labels, so model selection and every reported number rest on
  human judgements only),
* whose set says the text is toxic (``TOXICITY == 1``; a toxic label rules out most reports of violence), and
* whose THREAT label is missing. A human ``0`` is kept, with one exception: DynaHate gives each hateful post a
  single *type*, so a post typed "dehumanization" that says "all X should be killed" got THREAT=0 only because
  another type was chosen; such rows are relabelled when the pattern matches.

Negations do not match: the patterns need the modal and the verb to be adjacent ("should not be shot"), and a
negation in the words just before a match ("nobody should be shot") cancels it.
Predictions ("you will die one day") are left out on purpose. Precision measured by reading a seeded sample of
60 matches: about four in five are threats by Perspective's definition; the rest are mostly violent jokes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from civility.text.normalize import normalize
from civility.training.data import THREAT, TOXICITY, Record

_PASSIVE_VERBS = (
    r"(?:killed|shot|hanged|hung|lynched|murdered|executed|gassed|burn(?:ed|t)(?: alive| at the stake)?|slaughtered|"
    r"exterminated|beheaded|stabbed|beaten(?: to death)?|tortured|wiped out|nuked|put down|put to death|strung up|"
    r"castrated|drowned|skinned|massacred|raped|curb ?stomped)"
)
_ACTIVE_VERBS = (
    r"(?:kill|shoot|hang|lynch|murder|execute|gas|burn|slaughter|exterminate|behead|stab|beat|torture|wipe out|nuke|"
    r"string up|castrate|drown|massacre|punch|choke|strangle|rape|curb ?stomp|skin)"
)
_DEONTIC = r"(?:should|must|need(?:s)? to|ought to|deserve(?:s)? to|ha(?:ve|s) to)"
_INTENT = (
    r"(?:i(?:'ll| will| shall)|we(?:'ll| will| shall)|i'?m (?:going|gonna) to|i'?m gonna|i am (?:going|gonna) to|"
    r"we(?:'re| are) (?:going|gonna) to|let'?s|i want to|i wanna|i(?:'d| would) (?:love|like) to|gonna|should|must|"
    r"need(?:s)? to|ought to)"
)
_TARGET = r"(?:you|u|ya|him|her|them|em|'em|all|every|those|these|your|his|their|ur)"
_FILLER = r"(?:(?:all|just|simply|really|fucking|personally|gladly|happily|slowly) )?"

PATTERNS: tuple[str, ...] = (
    rf"\b{_DEONTIC} {_FILLER}be {_PASSIVE_VERBS}\b",
    rf"\b{_INTENT} {_FILLER}{_ACTIVE_VERBS} {_TARGET}\b",
    rf"\b{_DEONTIC} {_FILLER}die\b",
    r"\bhope (?:you|u|he|she|they|it|all of you|you all) (?:all )?(?:die|dies|get (?:shot|killed|raped)|gets (?:shot|killed|raped))\b",
    r"\b(?:i(?:'ll| will)|we(?:'ll| will)|i'?m gonna|i am going to) (?:find|hunt|come for) (?:you|u|him|her|them)\b",
    r"\bbullet (?:in|through|into) (?:your|his|her|their) (?:head|brain|skull)\b",
    r"\bline (?:them|em|'em) (?:all )?up (?:and|against)\b",
    r"\bsend (?:them|em|'em) (?:all )?to the (?:ovens|gas chambers?)\b",
    r"\bdie in a (?:fire|ditch)\b",
)
# Sets whose THREAT=0 on a hateful row means "another type was chosen", not "no threat".
SINGLE_TYPE_SETS = frozenset({"dynahate"})
_MATCHER = re.compile("|".join(f"(?:{pattern})" for pattern in PATTERNS))
_SPACES = re.compile(r"\s+")
# A negation in the few words before the match ("nobody should be shot", "I don't think they need to die").
_NEGATED = re.compile(r"\b(?:no|not|never|nobody|no one|none|n't|dont|doesnt|wouldnt|shouldnt)\b[^.!?]{0,40}$")


def threat_match(text: str) -> str | None:
    """The phrase that makes ``text`` an explicit call for or statement of violence, or ``None``."""
    folded = _SPACES.sub(" ", normalize(text).lower().replace("\u2019", "'"))
    for found in _MATCHER.finditer(folded):
        if not _NEGATED.search(folded[: found.start()].replace("n't", " n't")):
            return found.group(0)
    return None


def add_weak_threat_labels(records: Iterable[Record]) -> tuple[list[Record], Counter[str]]:
    """``records`` with THREAT=1 on toxic training rows that match; the count of labels added per data set."""
    out: list[Record] = []
    added: Counter[str] = Counter()
    for record in records:
        if (
            record.split == "train"
            and record.label(TOXICITY) == 1
            and (record.label(THREAT) is None or record.dataset in SINGLE_TYPE_SETS)
            and record.label(THREAT) != 1
            and threat_match(record.text)
        ):
            record = replace(record, labels={**record.labels, THREAT: 1})
            added[record.dataset] += 1
        out.append(record)
    return out, added
