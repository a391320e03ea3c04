"""Written training cases for the judgements the public sets teach badly: sentences we composed from our own frames
and word lists, with the labels the product needs.

Why: the English sets label by their own rules. OLID and Davidson call most harsh words "offensive", so "the
government's policy is cruel and incompetent" learns TOXICITY; identity words appear mostly inside attacks, so "my
neighbour is gay" learns IDENTITY_ATTACK (Dixon et al. 2018 measured the same on Wikipedia comments and fixed it by
adding non-toxic sentences that mention identities); reports of violence, quoted hate that is being condemned and
negated claims look like the attacks they contain. Each frame here comes with its twin that *is* an attack (the same
groups dehumanised, the quoted claim endorsed, the threat made), so no identity word or violent word becomes a
cue on its own.

Rules that keep the evaluation honest:

* The rows are **training only**: no dev or test rows, so model selection and every reported number rest on the
  human-labelled sets alone.
* The contrast suite (``civility/evaluation/suites/contrast.jsonl``) is written by us too, so sharing its sentences
  would measure memory, not judgement. :func:`records` drops every generated sentence that shares a five-word
  sequence with a suite case or whose word-trigram Jaccard similarity with one reaches ``SUITE_SIMILARITY``; the
  count dropped is returned and logged. The frames share *ideas* with the suite's categories (that is the point);
  the card says so next to the contrast numbers.
* The reference page's comments (``examples/reference-page.json``), whole and sentence by sentence, and the held-out
  criticism of leaders the acceptance tests use (``examples/government-criticism.json``) are guarded the same way.
* Lexical overlap misses paraphrases, so :mod:`civility.training.semantic_guard` also drops drafts whose
  all-MiniLM-L6-v2 embedding is near a guarded text (its list of dropped drafts is committed, so no torch is needed
  here). It found an all-caps frame that mirrored the reference page's c1/c2; the frame was removed.
* Only the attributes a frame decides are labelled; the rest stay ``None`` (masked from the loss). Profanity without
  an attack says nothing about TOXICITY, an implicit threat nothing about INSULT.
* The jigsaw bias templates stay held out: :func:`civility.training.data.load_records` rules drop any text equal to
  one, and the frames below are not theirs.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from civility.training.data import Record, make_labels
from civility.training.semantic_guard import draft_key, held_out_criticism, load_near

DATASET = "civility-written"
SUITE_SIMILARITY = 0.3
SUITE_PATH = Path(__file__).resolve().parent.parent / "evaluation" / "suites" / "contrast.jsonl"
# The demo page (the reference case the product is judged on) is kept out the same way.
REFERENCE_PAGE = Path(__file__).resolve().parents[2] / "examples" / "reference-page.json"

# (plural noun, adjective) for peoples, faiths and identities.
GROUPS: tuple[tuple[str, str], ...] = (
    ("Armenians", "Armenian"), ("Azerbaijanis", "Azerbaijani"), ("Turks", "Turkish"), ("Kurds", "Kurdish"),
    ("Russians", "Russian"), ("Ukrainians", "Ukrainian"), ("Georgians", "Georgian"), ("Iranians", "Iranian"),
    ("Syrians", "Syrian"), ("Afghans", "Afghan"), ("Somalis", "Somali"), ("Nigerians", "Nigerian"),
    ("Mexicans", "Mexican"), ("Chinese people", "Chinese"), ("Japanese people", "Japanese"), ("Indians", "Indian"),
    ("Pakistanis", "Pakistani"), ("Arabs", "Arab"), ("Palestinians", "Palestinian"), ("Israelis", "Israeli"),
    ("Jews", "Jewish"), ("Muslims", "Muslim"), ("Christians", "Christian"), ("Catholics", "Catholic"),
    ("Protestants", "Protestant"), ("Hindus", "Hindu"), ("Sikhs", "Sikh"), ("Buddhists", "Buddhist"),
    ("atheists", "atheist"), ("immigrants", "immigrant"), ("refugees", "refugee"), ("migrants", "migrant"),
    ("Roma", "Roma"), ("Black people", "Black"), ("white people", "white"), ("Asian people", "Asian"),
    ("Latinos", "Latino"), ("Hispanic people", "Hispanic"), ("Africans", "African"), ("Europeans", "European"),
    ("Americans", "American"), ("Canadians", "Canadian"), ("Middle Eastern people", "Middle Eastern"),
    ("gay men", "gay"), ("lesbians", "lesbian"), ("gay people", "gay"), ("homosexuals", "homosexual"),
    ("bisexual people", "bisexual"), ("transgender people", "transgender"), ("trans people", "trans"),
    ("queer people", "queer"), ("nonbinary people", "nonbinary"), ("LGBT people", "LGBT"),
    ("straight people", "straight"), ("heterosexuals", "heterosexual"), ("women", "female"), ("men", "male"),
    ("old people", "elderly"), ("teenagers", "teenage"), ("young people", "young"), ("deaf people", "deaf"),
    ("blind people", "blind"), ("disabled people", "disabled"), ("paralyzed people", "paralyzed"),
)
PEOPLES: tuple[tuple[str, str], ...] = GROUPS[:28]  # nations and faiths: the "peoples" of government criticism


def identity_words() -> frozenset[str]:
    """Every word of the identity groups the frames name, lower-cased. Evaluation uses it to report identity bias
    separately for template identities our training sentences never name: those measure generalisation."""
    return frozenset(word.lower() for pair in GROUPS for name in pair for word in re.findall(r"\w+", name))

COUNTRIES: tuple[str, ...] = (
    "Turkish", "Azerbaijani", "Armenian", "Russian", "Iranian", "French", "British", "American", "German",
    "Georgian", "Israeli", "Chinese", "Indian", "Hungarian", "Italian", "Dutch", "Polish", "Greek",
)
PERSONS: tuple[str, ...] = (
    "neighbour", "doctor", "nurse", "teacher", "landlord", "colleague", "plumber", "bus driver", "pharmacist",
    "football coach", "dentist", "postman", "vet", "librarian", "councillor", "shop owner", "grandmother", "son-in-law",
)
GOOD_DEEDS: tuple[str, ...] = (
    "has coached the under-12 team for years", "makes the best soup on our street", "helped us move house last spring",
    "fixed our boiler on Christmas Eve", "volunteers at the food bank every Saturday", "runs the chess club at the library",
    "organised the clean-up after the flood", "taught half the village to swim", "never misses a parish council meeting",
    "drove my mother to every hospital appointment", "keeps the community garden going", "raised money for the new playground",
)
PLACES: tuple[str, ...] = (
    "Stepanakert", "Leeds", "Marseille", "Rotterdam", "Yerevan", "Baku", "Tbilisi", "our town", "the old port district",
    "Brooklyn", "the valley", "our parish", "the north side", "Glasgow", "Lyon", "the county",
)
OPINIONS: tuple[str, ...] = (
    "found this article about the bus routes genuinely useful", "think the new library hours are a good idea",
    "would like the council to publish the budget figures", "agree that the aid convoys must be allowed through",
    "enjoyed the photographs of the harvest festival", "want to know who pays for the new bridge",
    "was glad to see the school's results reported fairly", "hope the paper follows up on the water prices",
)
DEHUMANISING: tuple[str, ...] = (
    "vermin", "parasites", "a disease", "animals", "cockroaches", "a plague", "filth", "savages", "subhuman",
    "a cancer", "rodents", "swine", "a virus", "leeches", "scum", "a pack of wild dogs", "orcs", "insects",
    "locusts", "an infestation", "barbarians", "beasts",
)
STEREOTYPES: tuple[str, ...] = (
    "liars", "thieves", "criminals", "traitors", "lazy", "dirty", "dangerous", "stupid", "violent", "freeloaders",
    "terrorists", "rapists", "brainwashed sheep", "fascists", "scroungers", "cheats", "backward",
)
ANIMALS: tuple[str, ...] = ("rabbits", "rats", "flies", "cockroaches", "mice", "vermin")
BEHAVIOUR: tuple[str, ...] = (
    "lying", "stealing", "begging for handouts", "causing trouble", "cheating the system", "whining",
)
PASSIVE_HARM: tuple[str, ...] = (
    "shot", "hanged", "beaten to death", "strung up", "burned alive", "executed", "put against a wall",
)
CODAS: tuple[str, ...] = (
    "for what he wrote", "and left for the crows", "in front of everyone", "before they do more damage",
    "and nobody would miss them", "as a lesson to the rest",
)
MISDEEDS: tuple[str, ...] = (
    "supports this war", "voted for this law", "defends these people", "writes garbage like this",
    "helps the refugees", "works for that newspaper",
)
ACTIVE_HARM: tuple[str, ...] = ("shoots", "stabs", "runs over", "beats up", "strangles")
INSULT_NOUNS: tuple[str, ...] = ("idiot", "moron", "clown", "prick", "dickhead", "loser", "halfwit", "muppet", "imbecile")
INSULT_ADJECTIVES: tuple[str, ...] = ("stupid", "pathetic", "smug", "clueless", "ignorant", "useless", "brainless")
DISMISSALS: tuple[str, ...] = ("Fuck off", "Go to hell", "Piss off", "Get lost", "Shut your mouth")
CIVIC: tuple[str, ...] = (
    "vote", "teach our children", "run for office", "own property here", "serve in the police", "adopt children",
    "open businesses on our high street", "live in this country",
)
ROLES: tuple[str, ...] = (
    "mayor", "coach", "referee", "columnist", "goalkeeper", "headteacher", "author of this piece", "judge",
    "reporter", "councillor", "striker", "moderator",
)
INSULTS: tuple[str, ...] = (
    "an idiot", "a moron", "a clown", "pathetic", "a complete fool", "brainless", "a worthless hack", "a pig",
    "an imbecile", "a joke of a human being",
)
EXCUSES: tuple[str, ...] = (
    "the decision was just a hard call", "he was given bad information", "the budget was never enough",
    "anyone would have struggled with that schedule", "the rules changed halfway through", "it was one bad week",
)
REASONS: tuple[str, ...] = (
    "everyone at the match could see it", "this proves it again", "nothing he says makes sense",
    "he should never have been hired", "the whole town knows it",
)
REPORTERS: tuple[str, ...] = (
    "A man at the bus stop", "A caller on the radio phone-in", "Graffiti near the station", "A post going around online",
    "The councillor's leaked email", "A banner at the rally", "A leaflet pushed through our door",
    "One of the candidates", "A commenter further down",
)
SAID: tuple[str, ...] = ("claimed", "said", "shouted", "wrote", "insisted")
CONDEMN: tuple[str, ...] = (
    "That is hateful nonsense and it should be called out.", "Talk like that is bigotry and has no place here.",
    "We should all speak up against that kind of hatred.", "I reported it, and I hope others do the same.",
    "The council must condemn it clearly.", "It is a lie, and a dangerous one.",
    "My kids asked what it meant and I told them it was cruel and wrong.", "Shame on anyone who repeats it.",
)
ENDORSE: tuple[str, ...] = (
    "and honestly, they are right.", "and it's about time someone said it.", "and I agree with every word.",
    "which is just the truth.", "and more of us should say it out loud.",
)
POLICIES: tuple[str, ...] = (
    "migration policy", "blockade of the aid corridor", "handling of the pension reform", "budget",
    "crackdown on the press", "housing policy", "response to the floods", "treatment of asylum seekers",
    "arms deal", "ceasefire proposal", "new surveillance law", "war strategy",
)
HARSH: tuple[str, ...] = (
    "cruel", "shameful", "incompetent", "a disgrace", "corrupt", "reckless", "probably illegal", "cynical",
    "brutal", "disastrous", "cowardly", "hypocritical", "a scandal", "indefensible",
)
CONSEQUENCES: tuple[str, ...] = (
    "ordinary families are paying for it", "it should be reversed", "the courts should strike it down",
    "voters will remember it", "the ministers responsible should resign", "parliament must investigate",
    "the EU should say so plainly", "history will judge it harshly",
)
LEADERS: tuple[str, ...] = (
    "The prime minister", "The president", "The foreign minister", "The interior ministry", "The ruling party",
    "The defence minister", "The regime", "The cabinet", "The governor", "The junta",
)
LEADER_ACTS: tuple[str, ...] = (
    "lied about the aid convoys", "let the hospitals run out of medicine", "jailed journalists for doing their job",
    "sent mercenaries into a war it denies fighting", "rigged the election", "wasted billions on vanity projects",
    "abandoned the people of the border villages", "covered up the massacre",
)
VERDICTS: tuple[str, ...] = (
    "That is a scandal.", "They should all face trial.", "It is a crime and should be prosecuted.",
    "They have no shame.", "Resign, all of you.", "This government is rotten to the core.",
)
ACTORS: tuple[str, ...] = (
    "Artillery fire", "A drone strike", "Gunmen", "Government troops", "Rebel fighters", "A car bomb", "Police",
    "Separatist forces", "An air raid", "Militiamen",
)
PAST_VIOLENCE: tuple[str, ...] = ("killed", "wounded", "shot dead", "injured", "left dead")
COUNTS: tuple[str, ...] = ("two", "three", "five", "seven", "eleven", "fourteen", "twenty", "dozens of", "at least six")
VICTIMS: tuple[str, ...] = ("civilians", "soldiers", "aid workers", "villagers", "police officers", "children", "protesters")
WHERE: tuple[str, ...] = (
    "near the border", "in the capital", "on the main road", "overnight", "at a checkpoint", "in the market square",
    "outside the hospital",
)
SOURCES: tuple[str, ...] = ("officials said", "the health ministry said", "witnesses told reporters", "local media reported",
                            "the UN said", "according to residents")
HARM: tuple[str, ...] = ("hurt", "attack", "beat up", "kill", "shoot", "stab", "put a bullet in", "burn the house of")
TARGETS: tuple[str, ...] = ("the mayor", "that journalist", "the judge", "the editor", "you", "the councillor", "the author")
TITLES: tuple[str, ...] = ("councillor", "mister editor", "Mr Mayor", "Judge", "reporter", "sweetheart", "professor")
POSSESSIONS: tuple[str, ...] = ("car", "shop", "house", "office windows", "dog", "family", "kids")
INTERJECTIONS: tuple[str, ...] = ("Holy shit", "Fuck yeah", "Damn", "Bloody hell", "Shit", "Hell yes", "Fucking hell", "Holy crap")
GOOD_NEWS: tuple[str, ...] = (
    "the bridge is finally open", "my tomatoes survived the frost", "we won the pub quiz", "the trains ran on time",
    "the aid trucks got through", "our team scored in the last minute", "the library is staying open",
    "my daughter passed her driving test", "the heating works again",
)
GOOD_THINGS: tuple[str, ...] = ("concert", "match", "interview", "recipe", "documentary", "sunset", "harvest festival", "debate")
PRAISE: tuple[str, ...] = ("brilliant", "good", "beautiful", "funny", "well done", "impressive")
MUNDANE: tuple[str, ...] = (
    "the roadworks on Elm Street", "this weather", "waiting for the bus", "my printer", "the queue at the post office",
    "paying for parking", "the noise from the building site",
)

# Named office holders (invented names: the model should judge what is said about them, not who they are).
OFFICE_HOLDERS: tuple[str, ...] = (
    "President Varga", "Prime Minister Okafor", "Chancellor Lindqvist", "Governor Haddad", "Minister Petrov",
    "Mayor Brennan", "President Moreau", "General Sarkisov", "Premier Kowalczyk", "Senator Delacroix",
    "the emir", "the sultan's court", "the party chairman",
)
# What critics call a ruler for how they rule: accusations about conduct in office, not insults of the person.
POLITICAL_CHARGES: tuple[str, ...] = (
    "an autocrat", "a despot", "a tyrant", "a war criminal", "a kleptocrat", "a warmonger", "a strongman",
    "an authoritarian", "a crook who has looted the treasury", "the most corrupt leader this country has had",
    "a dictator in all but name", "a danger to democracy",
)
EVIDENCE: tuple[str, ...] = (
    "the opposition leader has been in prison for three years", "not one independent newspaper is left",
    "the last three votes were counted by his own cousins", "the courts now take orders from the palace",
    "the army shelled a town that voted against her", "the pension fund vanished into offshore accounts",
    "protesters are still missing after the spring marches", "the constitution was rewritten twice to keep her in power",
)
# Personal insults of the same people: the twin the model must still catch.
PERSONAL_INSULTS: tuple[str, ...] = (
    "a fat pig", "a brainless clown", "an ugly old hag", "a drooling moron", "a piece of shit", "a senile idiot",
    "a disgusting worm", "a pathetic little weasel", "too stupid to tie his own shoes", "a waste of oxygen",
)
# Wishes and calls for mass violence against peoples and armies (threats, not reports).
MASS_HARM: tuple[str, ...] = (
    "wiped off the face of the earth", "exterminated", "gassed", "lined up and shot", "slaughtered to the last man",
    "burned out of their villages", "bombed until nothing is left of them",
)
KIN: tuple[str, ...] = ("their families with them", "their children too", "nobody spared", "and good riddance")

# Distrust aimed at governments, armies and promises, by or for a people: a people named beside distrust is no attack.
POWERS: tuple[str, ...] = (
    "the great powers", "the Kremlin", "Washington", "Brussels", "the generals in the capital", "the regime",
    "the peacekeepers", "foreign mediators", "the ruling party", "the ministry",
)
PROMISES: tuple[str, ...] = (
    "promises about the aid corridor", "ceasefire pledges", "talk of free elections", "guarantees of safe passage",
    "word on the prisoner exchange", "figures on civilian deaths", "assurances about the water supply",
)
# Hyperbolic and gruesome wishes of death: threats however absurd their arithmetic.
HYPERBOLIC_DEATHS: tuple[str, ...] = (
    "die a hundred deaths", "be hanged twice over", "be shot again and again until nothing is left",
    "suffer until they beg for a bullet", "be buried alive, every one of them", "die slowly, one by one",
)
GRUESOME_ENDS: tuple[str, ...] = (
    "their bodies thrown in the river", "their heads on spikes at the border", "their remains left for the crows",
    "nothing left of them to bury", "their bones scattered in the desert",
)
HATED: tuple[str, ...] = (
    "those hired killers", "the men who shelled the school", "the traitors in parliament", "these foreign fighters",
    "the soldiers who burned the village", "the smugglers", "that general and his officers", "the settlers",
)

YEARS: tuple[str, ...] = ("1915", "1937", "1944", "1988", "1992", "2020")
ATROCITIES: tuple[str, ...] = ("killed", "deported", "massacred", "driven from their homes")
REVENGE: tuple[str, ...] = (
    "burn their towns and let none of them escape", "kill their sons the way they killed ours",
    "every one of their soldiers must die screaming", "hang their officers from the lamp posts",
    "shoot the prisoners, all of them",
)
JUSTICE: tuple[str, ...] = (
    "The men responsible should stand trial in The Hague.", "The archives must be opened and the names published.",
    "Those who gave the orders must answer for it in court.", "A truth commission is long overdue.",
)


def _an(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" and not word.lower().startswith(("uni", "eu", "uk", "us")) else "a ") + word


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Frame:
    """A sentence maker and the labels every sentence it makes carries; ``unlabelled`` attributes stay ``None`` even
    where a non-toxic label would otherwise make them 0 (a harsh word about a minister may be an insult by
    Perspective's definition without being toxic)."""

    category: str
    make: Callable[[random.Random], str]
    labels: dict[str, int]
    unlabelled: tuple[str, ...] = ()


def _c(rng: random.Random, options: Sequence[str]) -> str:
    return rng.choice(options)


NOT_TOXIC = {"TOXICITY": 0, "IDENTITY_ATTACK": 0, "INSULT": 0, "THREAT": 0, "SEVERE_TOXICITY": 0}
IDENTITY_HATE = {"TOXICITY": 1, "IDENTITY_ATTACK": 1}

FRAMES: tuple[Frame, ...] = (
    # Neutral and positive mentions of identities (Dixon et al.'s remedy), each group also appears in the attacks below.
    Frame("identity_mention", lambda r: f"My {_c(r, PERSONS)} is {_c(r, GROUPS)[1]} and {_c(r, GOOD_DEEDS)}.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"As {_an(_c(r, GROUPS)[1])} {_c(r, ('reader', 'pensioner', 'student', 'mother', 'father', 'taxpayer', 'nurse'))} in {_c(r, PLACES)}, I {_c(r, OPINIONS)}.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_c(r, GROUPS)[0]} have lived in {_c(r, PLACES)} for generations, and the town is richer for it.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"The {_c(r, GROUPS)[1]} families on our street {_c(r, GOOD_DEEDS)}.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Being {_c(r, GROUPS)[1]} never stopped my {_c(r, PERSONS)} from doing what she loved.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Is there a group for {_c(r, GROUPS)[0]} in {_c(r, PLACES)}? My {_c(r, PERSONS)} just moved here and would like to meet people.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"The article interviews three {_c(r, GROUPS)[0]} about the price of bread, which is exactly what we need more of.", NOT_TOXIC),
    # Attacks on the same groups (no slurs needed).
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} are {_c(r, DEHUMANISING)} and {_c(r, PLACES)} would be better off without them.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Never trust {_c(r, GROUPS)[0]}, they are all {_c(r, STEREOTYPES)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} should not be allowed to {_c(r, CIVIC)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Every {_c(r, GROUPS)[1]} person I have met was {_c(r, STEREOTYPES)}; they are all the same.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} ruin every neighbourhood they move into. Send them back.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Get the {_c(r, GROUPS)[0]} out of {_c(r, PLACES)}, they are {_c(r, DEHUMANISING)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} breed like {_c(r, ANIMALS)} and take over every town they settle in.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"It is in their nature: {_c(r, GROUPS)[0]} are {_c(r, STEREOTYPES)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"I would never let {_c(r, GROUPS)[0]} near my children, they are {_c(r, DEHUMANISING + STEREOTYPES)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} do not belong in {_c(r, PLACES)}. Go back where you came from.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Typical {_c(r, GROUPS)[1]}, always {_c(r, BEHAVIOUR)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"No wonder crime is up, {_c(r, PLACES)} is full of {_c(r, GROUPS)[0]} now.", IDENTITY_HATE),
    # (An all-caps "GROUPS ARE …, NEVER TRUST THEM" frame stood here until minilm3-en-15's training. It mirrored the
    # reference page's c1/c2 in form and words, so it taught the page's answer; the semantic guard caught one draft.)
    # Negated claims (and negated calls for violence).
    Frame("negation", lambda r: f"It is simply false that {_c(r, GROUPS)[0]} are {_c(r, DEHUMANISING + STEREOTYPES)}.", NOT_TOXIC),
    Frame("negation", lambda r: f"Nothing in this report suggests {_c(r, GROUPS)[0]} are {_c(r, STEREOTYPES)}, whatever the trolls say.", NOT_TOXIC),
    Frame("negation", lambda r: f"I have never believed that {_c(r, GROUPS)[0]} are {_c(r, DEHUMANISING + STEREOTYPES)}, and I never will.", NOT_TOXIC),
    Frame("negation", lambda r: f"{_cap(_c(r, GROUPS)[0])} are not {_c(r, STEREOTYPES)}; repeating that lie helps nobody.", NOT_TOXIC),
    Frame("negation", lambda r: f"I do not think the {_c(r, ROLES)} is {_c(r, INSULTS)}; {_c(r, EXCUSES)}.", NOT_TOXIC),
    Frame("negation", lambda r: f"Nobody should {_c(r, HARM)} {_c(r, TARGETS)}, whatever you think of the article.", NOT_TOXIC),
    Frame("insult", lambda r: f"The {_c(r, ROLES)} is {_c(r, INSULTS)} and {_c(r, REASONS)}.", {"TOXICITY": 1, "INSULT": 1}),
    Frame("insult", lambda r: f"You are {_c(r, INSULTS)}, and everyone reading this knows it.", {"TOXICITY": 1, "INSULT": 1}),
    Frame("insult", lambda r: f"Shut up, you {_c(r, INSULT_ADJECTIVES)} {_c(r, INSULT_NOUNS)}.", {"TOXICITY": 1, "INSULT": 1}),
    Frame("insult", lambda r: f"{_c(r, DISMISSALS)}, you {_c(r, INSULT_ADJECTIVES)} {_c(r, INSULT_NOUNS)}.", {"TOXICITY": 1, "INSULT": 1}),
    Frame("insult", lambda r: f"Whoever wrote this is {_c(r, INSULTS)}.", {"TOXICITY": 1, "INSULT": 1}),
    # Quoted or reported hate, condemned; and the same hate endorsed.
    Frame("counter_speech", lambda r: f"{_c(r, REPORTERS)} {_c(r, SAID)} that {_c(r, GROUPS)[0]} are {_c(r, DEHUMANISING + STEREOTYPES)}. {_c(r, CONDEMN)}", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"Calling {_c(r, GROUPS)[0]} '{_c(r, DEHUMANISING)}' is bigotry, plain and simple. {_c(r, CONDEMN)}", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"Stop saying {_c(r, GROUPS)[0]} are {_c(r, STEREOTYPES)}. It is hateful and it is false.", NOT_TOXIC),
    Frame("endorsed_hate", lambda r: f"{_c(r, REPORTERS)} {_c(r, SAID)} that {_c(r, GROUPS)[0]} are {_c(r, DEHUMANISING + STEREOTYPES)}, {_c(r, ENDORSE)}", IDENTITY_HATE),
    # Harsh criticism of governments and officials: allowed. Policy criticism is no insult either.
    Frame("government_criticism", lambda r: f"The {_c(r, COUNTRIES)} government's {_c(r, POLICIES)} is {_c(r, HARSH)} and {_c(r, CONSEQUENCES)}.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"Our own government's {_c(r, POLICIES)} is {_c(r, HARSH)}, {_c(r, HARSH)} and {_c(r, HARSH)}.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"{_c(r, LEADERS)} {_c(r, LEADER_ACTS)}. {_c(r, VERDICTS)}", NOT_TOXIC, unlabelled=("INSULT",)),
    Frame("government_criticism", lambda r: f"The {_c(r, COUNTRIES)} army's conduct in this war is {_c(r, HARSH)}; its commanders should answer for it in court.", NOT_TOXIC),
    # Named rulers accused of how they rule (allowed), and the same people insulted (not allowed).
    Frame("government_criticism", lambda r: f"{_cap(_c(r, OFFICE_HOLDERS))} is {_c(r, POLITICAL_CHARGES)}: {_c(r, EVIDENCE)}.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"Call it what it is. {_cap(_c(r, OFFICE_HOLDERS))} governs like {_c(r, POLITICAL_CHARGES)}, and {_c(r, CONSEQUENCES)}.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"I have no sympathy for {_c(r, OFFICE_HOLDERS)}. {_cap(_c(r, EVIDENCE))}, and that makes him {_c(r, POLITICAL_CHARGES)}.", NOT_TOXIC),
    Frame("insult", lambda r: f"{_cap(_c(r, OFFICE_HOLDERS))} is {_c(r, PERSONAL_INSULTS)}.", {"TOXICITY": 1, "INSULT": 1}),
    Frame("insult", lambda r: f"Forget the policies, {_c(r, OFFICE_HOLDERS)} is just {_c(r, PERSONAL_INSULTS)} and always was.", {"TOXICITY": 1, "INSULT": 1}),
    # Calls for mass violence against peoples and their soldiers.
    Frame("threat", lambda r: f"Every {_c(r, PEOPLES)[1]} soldier should be {_c(r, MASS_HARM)}, {_c(r, KIN)}.", {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}),
    Frame("threat", lambda r: f"I want to see the {_c(r, PEOPLES)[0]} {_c(r, MASS_HARM)}. No mercy this time.", {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}),
    Frame("threat", lambda r: f"The only answer is war until the {_c(r, PEOPLES)[0]} are {_c(r, MASS_HARM)}.", {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}),
    Frame("threat", lambda r: f"{_cap(_c(r, OFFICE_HOLDERS))} and his ministers deserve to be {_c(r, PASSIVE_HARM)}, {_c(r, KIN)}.", {"TOXICITY": 1, "THREAT": 1}),
    # A people named beside distrust of those in power (allowed); distrust of the people itself is the attack above.
    Frame("government_criticism", lambda r: f"{_cap(_c(r, PEOPLES)[0])} have learned the hard way not to believe {_c(r, POWERS)} and their {_c(r, PROMISES)}.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"My advice to {_c(r, PEOPLES)[1]} families in {_c(r, PLACES)}: do not count on {_c(r, POWERS)}, who have broken their {_c(r, PROMISES)} before.", NOT_TOXIC),
    Frame("government_criticism", lambda r: f"If I were {_an(_c(r, PEOPLES)[1])} voter I would not take {_c(r, POWERS)} at their word either, after so many broken {_c(r, PROMISES)}.", NOT_TOXIC),
    # Hyperbolic and gruesome calls for death: still threats.
    Frame("threat", lambda r: f"{_cap(_c(r, HATED))} should {_c(r, HYPERBOLIC_DEATHS)}, with {_c(r, GRUESOME_ENDS)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"For what they did, {_c(r, HATED)} deserve to {_c(r, HYPERBOLIC_DEATHS)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"I want {_c(r, HATED)} dead, {_c(r, GRUESOME_ENDS)}.", {"TOXICITY": 1, "THREAT": 1}),
    # A report of atrocities followed by a call for revenge is a threat; followed by a call for justice it is not.
    Frame("threat", lambda r: f"{_c(r, ACTORS)} {_c(r, PAST_VIOLENCE)} {_c(r, COUNTS)} {_c(r, VICTIMS)} {_c(r, WHERE)}. For that, {_c(r, HATED)} should be {_c(r, PASSIVE_HARM)}, {_c(r, KIN)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"In {_c(r, YEARS)}, {_c(r, COUNTS)} {_c(r, VICTIMS)} were {_c(r, ATROCITIES)} {_c(r, WHERE)}. Now it is their turn: {_c(r, REVENGE)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("violence_report", lambda r: f"In {_c(r, YEARS)}, {_c(r, COUNTS)} {_c(r, VICTIMS)} were {_c(r, ATROCITIES)} {_c(r, WHERE)}. {_c(r, JUSTICE)}", NOT_TOXIC),
    # Reports of violence; and threats.
    Frame("violence_report", lambda r: f"{_c(r, ACTORS)} {_c(r, PAST_VIOLENCE)} {_c(r, COUNTS)} {_c(r, VICTIMS)} {_c(r, WHERE)}, {_c(r, SOURCES)}.", NOT_TOXIC),
    Frame("violence_report", lambda r: f"The court heard that the defendant threatened to {_c(r, ('kill', 'stab', 'shoot', 'burn down the house of'))} his {_c(r, PERSONS)} during an argument.", NOT_TOXIC),
    Frame("violence_report", lambda r: f"Police are appealing for witnesses after a man was {_c(r, ('stabbed', 'beaten', 'shot', 'attacked with a bottle'))} {_c(r, WHERE)}.", NOT_TOXIC),
    Frame("violence_report", lambda r: f"In {_c(r, YEARS)}, {_c(r, COUNTS)} {_c(r, VICTIMS)} were {_c(r, ATROCITIES)} {_c(r, WHERE)}, and the survivors still want justice.", NOT_TOXIC),
    Frame("threat", lambda r: f"I will {_c(r, HARM)} {_c(r, TARGETS)} if I ever see {_c(r, ('them', 'him', 'her', 'you'))} in {_c(r, PLACES)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"Somebody needs to {_c(r, HARM)} {_c(r, TARGETS)} and I would gladly do it myself.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"We are going to {_c(r, HARM)} every last one of you {_c(r, GROUPS)[0]}.", {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}),
    Frame("threat", lambda r: f"{_cap(_c(r, TARGETS))} should be {_c(r, PASSIVE_HARM)} {_c(r, CODAS)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"Anyone who {_c(r, MISDEEDS)} deserves to be {_c(r, PASSIVE_HARM)}.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"I hope someone {_c(r, ACTIVE_HARM)} {_c(r, TARGETS)} on the way home.", {"TOXICITY": 1, "THREAT": 1}),
    Frame("threat", lambda r: f"Every last {_c(r, GROUPS)[1]} in {_c(r, PLACES)} should be {_c(r, PASSIVE_HARM)}.", {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}),
    # Implicit threats, and the same words in harmless sentences.
    Frame("implicit_threat", lambda r: f"We know which school your kids go to, {_c(r, TITLES)}. Think carefully about your next article.", {"THREAT": 1}),
    Frame("implicit_threat", lambda r: f"Keep publishing stories like this and see what happens to your {_c(r, POSSESSIONS)}.", {"THREAT": 1}),
    Frame("implicit_threat", lambda r: f"I'd start checking under your car before you drive anywhere, {_c(r, TITLES)}.", {"THREAT": 1}),
    Frame("implicit_threat", lambda r: f"People who write like you tend to have accidents, {_c(r, TITLES)}. Just saying.", {"THREAT": 1}),
    Frame("implicit_threat", lambda r: f"Watch your back on the way home tonight, {_c(r, TITLES)}.", {"THREAT": 1}),
    Frame("implicit_threat", lambda r: f"Enjoy your {_c(r, POSSESSIONS)} while you still can, {_c(r, TITLES)}.", {"THREAT": 1}),
    Frame("implicit_benign", lambda r: f"We know which school has the best choir in {_c(r, PLACES)}, and we will be there cheering.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Keep publishing stories like this and your readership will keep growing, {_c(r, TITLES)}.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Watch your step on the way home tonight, the pavements near {_c(r, PLACES)} are icy.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Enjoy your {_c(r, ('holiday', 'retirement', 'new kitchen', 'weekend', 'garden'))} while the weather holds, {_c(r, TITLES)}!", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Somebody ought to teach the {_c(r, ROLES)} how to use the new ticket machines.", NOT_TOXIC),
    # Profanity without an attack: PROFANITY only, TOXICITY left to the human sets.
    Frame("profanity", lambda r: f"{_c(r, INTERJECTIONS)}, {_c(r, GOOD_NEWS)}!", {"PROFANITY": 1, "INSULT": 0, "IDENTITY_ATTACK": 0, "THREAT": 0}),
    Frame("profanity", lambda r: f"That {_c(r, GOOD_THINGS)} was {_c(r, ('fucking', 'damn', 'bloody', 'goddamn'))} {_c(r, PRAISE)}.", {"PROFANITY": 1, "INSULT": 0, "IDENTITY_ATTACK": 0, "THREAT": 0}),
    Frame("profanity", lambda r: f"I am so {_c(r, ('fucking', 'damn', 'bloody'))} tired of {_c(r, MUNDANE)}.", {"PROFANITY": 1, "INSULT": 0, "IDENTITY_ATTACK": 0, "THREAT": 0}),
)

# Sentences drawn per frame (the frame list is balanced so every group appears on both sides).
PER_FRAME = 100


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class SuiteGuard:
    """Says whether a sentence is too close to a contrast-suite case to train on."""

    def __init__(self, suite_texts: Iterable[str], threshold: float = SUITE_SIMILARITY) -> None:
        self.threshold = threshold
        self._trigrams: list[set[tuple[str, ...]]] = []
        self._fivegrams: set[tuple[str, ...]] = set()
        for text in suite_texts:
            words = _words(text)
            self._trigrams.append(_ngrams(words, 3))
            self._fivegrams |= _ngrams(words, 5)

    def too_close(self, text: str) -> bool:
        words = _words(text)
        if _ngrams(words, 5) & self._fivegrams:
            return True
        grams = _ngrams(words, 3)
        for other in self._trigrams:
            union = len(grams | other)
            if union and len(grams & other) / union >= self.threshold:
                return True
        return False


def suite_texts(path: Path = SUITE_PATH) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def reference_page_texts(path: Path = REFERENCE_PAGE) -> list[str]:
    """The demo page's comments and their sentences (empty outside a checkout)."""
    if not path.exists():
        return []
    comments = [c["text"] for c in json.loads(path.read_text(encoding="utf-8"))["comments"]]
    return comments + [s for c in comments for s in re.split(r"(?<=[.!?])\s+", c) if s]


def all_frames(blind: bool = False, balance: bool = False) -> tuple[Frame, ...]:
    """The frames above, and with ``blind`` those of :mod:`civility.training.blind_frames` after them (written without
    sight of the contrast suite), and with ``balance`` (which needs ``blind``) the harmless same-shape twins of their
    attacks on groups (:mod:`civility.training.balance_frames`) after those. Appended, so the drafts of the frames
    before them stay the same sentences either way."""
    if balance and not blind:
        raise ValueError("the balancing frames balance the blind frames' attacks: ask for blind too")
    if not blind:
        return FRAMES
    from civility.training.blind_frames import BLIND_FRAMES

    if not balance:
        return FRAMES + BLIND_FRAMES
    from civility.training.balance_frames import BALANCE_FRAMES

    return FRAMES + BLIND_FRAMES + BALANCE_FRAMES


def drafts(
    seed: int = 7, per_frame: int = PER_FRAME, blind: bool = False, balance: bool = False
) -> list[tuple[Frame, str]]:
    """Every distinct sentence the frames make (before any guard), with the frame that made it."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[Frame, str]] = []
    for frame in all_frames(blind, balance):
        for _ in range(per_frame):
            text = frame.make(rng)
            if rng.random() < 0.1:
                text = text.lower()
            if text in seen:
                continue
            seen.add(text)
            out.append((frame, text))
    return out


def records(
    seed: int = 7, per_frame: int = PER_FRAME, guard: SuiteGuard | None = None, near: frozenset[str] | None = None,
    blind: bool = False,
    balance: bool = False,
) -> tuple[list[Record], Counter[str]]:
    """The written training rows (split ``train``) and how many drafts each category lost to the guards: the lexical
    one (:class:`SuiteGuard`) and the semantic one (``near``: keys of drafts that
    :mod:`civility.training.semantic_guard` found to paraphrase a guarded text; default the committed list)."""
    guard = guard if guard is not None else SuiteGuard(suite_texts() + reference_page_texts() + held_out_criticism())
    near = near if near is not None else load_near()
    out: list[Record] = []
    dropped: Counter[str] = Counter()
    for frame, text in drafts(seed, per_frame, blind, balance):
        if guard.too_close(text) or draft_key(text) in near:
            dropped[frame.category] += 1
            continue
        labels = make_labels(**frame.labels)
        labels.update({attribute: None for attribute in frame.unlabelled})
        out.append(Record(text, DATASET, "train", labels))
    return out, dropped
