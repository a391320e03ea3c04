"""More written training frames, composed clean-room: without sight of the contrast suite.

Why: the frames in :mod:`civility.training.written_cases` were written by people who had also written the contrast
suite, so however carefully the guards drop near copies, their sentence shapes may echo its cases. These frames were
written by someone who never read the suite (nor the reference page, the model cards or the evaluation code), from a
description of the judgements alone: negation, counter-speech, veiled threats, reports of violence, dehumanising
words about animals and things, and swearing without a target. They bring new sentence shapes and new words in the
register of reader comments under news articles. As in ``written_cases``, every harmless frame has a twin that uses
the same groups and words but *is* the attack, so no word becomes a cue by itself.

Clean-room authorship is no excuse to skip the leakage guards: these drafts must pass the same lexical
(:class:`~civility.training.written_cases.SuiteGuard`) and semantic guards as every other written frame.
"""

from __future__ import annotations

import random

from civility.training.written_cases import (
    DEHUMANISING,
    GROUPS,
    IDENTITY_HATE,
    INSULT_NOUNS,
    NOT_TOXIC,
    PASSIVE_HARM,
    PEOPLES,
    ROLES,
    Frame,
    _an,
    _c,
    _cap,
)

THREAT: dict[str, int] = {"TOXICITY": 1, "THREAT": 1}
GROUP_THREAT: dict[str, int] = {"TOXICITY": 1, "THREAT": 1, "IDENTITY_ATTACK": 1}
IMPLICIT_THREAT: dict[str, int] = {"THREAT": 1}
PROFANE: dict[str, int] = {"PROFANITY": 1, "INSULT": 0, "IDENTITY_ATTACK": 0, "THREAT": 0}
INSULTING: dict[str, int] = {"TOXICITY": 1, "INSULT": 1}

# Towns and places of our own (none of them a war zone).
TOWNS: tuple[str, ...] = (
    "Harrowby", "Kettleford", "the east end", "Millbrook", "Pendle Cross", "the harbour estate", "Ashworth",
    "our end of town", "the Fairfield estate", "Lower Wick", "Bramley", "the riverside flats",
)
# Dehumanising words for people: the shared list (less its one five-word entry, which the suite guard's five-gram
# rule would match on its own) and some of our own.
NONHUMAN: tuple[str, ...] = tuple(word for word in DEHUMANISING if len(word.split()) < 5) + (
    "maggots", "a blight", "a swarm", "ticks", "lice", "a contagion", "pests",
)
# Adjectives a bigot hangs on a whole group.
SMEAR_ADJECTIVES: tuple[str, ...] = (
    "lazy", "dishonest", "greedy", "dangerous", "dirty", "violent", "untrustworthy", "backward", "sly", "ignorant",
    "workshy", "sneaky",
)
# What a bigot says a whole group does (after a plural subject).
SMEAR_ACTS: tuple[str, ...] = (
    "can't be trusted with money", "don't want to work", "are behind every burglary round here",
    "bring disease with them", "only look after their own", "are too thick to vote",
    "shouldn't be left alone with children", "are bleeding the welfare system dry", "are out to replace us",
    "would sell their own mothers", "lie as easily as they breathe",
)
# What the facts actually show, for a rebuttal.
REBUTTALS: tuple[str, ...] = (
    "people who say it have never actually lived next to any", "every study on it says the opposite",
    "half the staff at the hospital would prove it wrong in a day", "it comes from a meme nobody ever checked",
    "the crime figures in this very article say otherwise", "the people they mean are just trying to pay their rent",
)
RELATIVES: tuple[str, ...] = (
    "uncle", "father-in-law", "brother", "aunt", "old boss", "mate from the pub", "stepdad", "cousin",
)
# Where a commenter heard the claim (each ends where the claim begins).
HEARSAY: tuple[str, ...] = (
    "Someone sprayed a message on the underpass wall saying",
    "A sticker on the lamp post outside the primary school says",
    "At the residents' meeting a man stood up and announced that",
    "Councillor Dunmore told a packed church hall that",
    "A guy in my five-a-side group chat forwarded a meme saying",
    "The candidate's campaign flyer all but says",
    "A bloke on the late-night phone-in was allowed to ramble on about how",
    "My daughter came home upset because an older boy told her",
)
REBUKES: tuple[str, ...] = (
    "Utter rubbish, and the figures in this article show it.", "That isn't free speech, it's a smear.",
    "Whoever believes that has clearly never met any of them.", "Reported it, and you should too.",
    "I've lived here forty years and never heard anything so ignorant.",
    "It's ugly, it's false, and it needs challenging every single time.", "Nonsense like that gets people hurt.",
)
APPROVALS: tuple[str, ...] = (
    "Couldn't have put it better myself.", "About time somebody told the truth.",
    "Every word of it is spot on.", "Only saying what the rest of us think.", "Good, people need to hear it.",
)
# Invented people a veiled threat can be aimed at (no real person is meant).
NAMED: tuple[str, ...] = (
    "Ms Halloran", "Mr Pryce", "Mrs Abernethy", "Ms Varela", "Mr Dunleavy", "Judge Whitcombe", "Councillor Marsh",
    "Dr Ferris", "Mr Okafor-Reid", "Ms Lindgren",
)
FIRST_NAMES: tuple[str, ...] = ("Tom", "Priya", "Gareth", "Amira", "Sian", "Kofi", "Bronwyn", "Luca", "Hannah", "Dev")
# People whose writing readers argue about (the negation and threat twins are about a piece of writing).
WRITERS: tuple[str, ...] = (
    "columnist", "editor", "author of this piece", "reporter", "critic", "sports writer", "cartoonist", "blogger",
)
GRIEVANCES: tuple[str, ...] = (
    "one bad column", "a headline you didn't like", "a story about the bypass", "a bad review", "an opinion piece",
    "a cartoon", "a typo in the match report",
)
HURT: tuple[str, ...] = ("hurt", "threaten", "rough up", "go after", "harm", "attack")
REMEDIES: tuple[str, ...] = (
    "Write a letter, don't make threats.", "Complain to the press regulator if you must.",
    "Argue in the comments like an adult.", "Cancel your subscription, that's your right.",
    "Disagree, by all means, but leave it there.",
)
ACCOMPLICES: tuple[str, ...] = (
    "I know plenty who'd be happy to do it", "I'd gladly be the one", "there's a queue of us ready",
    "I hope it's soon", "someone round here will see to it",
)
STREETS: tuple[str, ...] = (
    "Elmwood Avenue", "Cooper Lane", "Station Road", "Linden Close", "Marsh Street", "Orchard Way", "Kings Parade",
)
KIDS: tuple[str, ...] = ("daughter", "son", "little girl", "little boy", "twins", "youngest")
KID_ACTIVITIES: tuple[str, ...] = (
    "swimming lessons", "football practice", "the Saturday dance class", "Brownies", "piano on Wednesdays",
    "the after-school club",
)
VENUES: tuple[str, ...] = ("the studio", "the town hall", "the courthouse", "your office", "the theatre", "the book shop")
ROUTINES: tuple[str, ...] = (
    "You leave the office at half six most nights", "You walk the dog along the canal every morning",
    "You park in the same spot behind the station every day", "You always take the last train home on Fridays",
    "You cycle in along the river path", "You jog round the reservoir before work",
    "You drive back over the moor road on Thursdays", "You pick the kids up from school at quarter past three",
)
ROLES_HELD: tuple[str, ...] = (
    "writing that column", "reporting on the council", "sitting on that bench", "editing this paper",
    "chairing the planning committee", "presenting the evening news",
)
MENACE_CODAS: tuple[str, ...] = (
    "People have disappeared for less.", "People have gone missing for a lot less.",
    "Others went quiet for less, and nobody ever found out why.", "Make the most of the time you've got.",
)
FAREWELLS: tuple[str, ...] = (
    "Enjoy the retirement, you'll be sorely missed.", "Congratulations on the new job!",
    "Best of luck with the move abroad.", "Enjoy the baby, we'll keep your seat warm.",
    "Well deserved rest after thirty years.",
)
REGIMES: tuple[str, ...] = ("that regime", "the junta", "the old dictatorship", "the secret police", "the occupation")
TRIVIAL_OFFENCES: tuple[str, ...] = (
    "a joke about the leader", "a letter to the wrong newspaper", "owning a foreign radio", "a rude word about the party",
)
SPORT_PLAYERS: tuple[str, ...] = (
    "striker", "captain", "left back", "number nine", "new signing", "winger", "centre forward", "keeper",
)
SPORT_FEATS: tuple[str, ...] = (
    "absolutely killed it in the second half", "murdered that free kick into the top corner",
    "slaughtered them five-nil", "destroyed their defence all afternoon", "butchered the opposition's back line",
    "shot them to pieces on the break",
)
MATCH_CODAS: tuple[str, ...] = (
    "Best game I've watched in years.", "What a night at the ground.", "The away end went silent.",
    "Pay the man whatever he wants.",
)
FICTION: tuple[str, ...] = (
    "crime drama", "thriller", "war film", "detective novel", "video game", "horror series", "western",
)
FICTION_VIOLENCE: tuple[str, ...] = (
    "a man being stabbed in a multi-storey car park", "a family wiped out by a gangster's hitman",
    "a sniper picking off soldiers in a ruined town", "the killer strangling his first victim",
    "a body being dragged out of the canal", "a shoot-out that leaves half the cast dead",
)
CRIMES: tuple[str, ...] = (
    "stabbed the victim twice", "beaten a pensioner unconscious", "set fire to his ex-partner's flat",
    "shot a security guard during the robbery", "attacked a taxi driver with a hammer",
)
CULLS: tuple[str, ...] = (
    "The vet had to put our old collie down on Tuesday",
    "Pest control poisoned the rats behind the chip shop last week",
    "Deer stalkers will cull a third of the herd this winter",
    "The surgeon had to amputate the farmer's crushed leg",
    "The council is trapping and killing the mink on the river",
    "The farmer shot the dog that had been worrying his sheep",
    "The exterminator gassed the wasps' nest in our loft",
    "A marksman shot the escaped boar on the bypass",
    "The abattoir on the ring road slaughters two hundred pigs a day",
)
CULL_CODAS: tuple[str, ...] = (
    "Grim, but it had to be done.", "Not pleasant to read, but necessary.", "Sad, but the right call.",
    "Nobody enjoys it, but there was no other option.", "Hard to think about over breakfast.",
)
DEFENDANTS: tuple[str, ...] = ("Darren Holt", "Wayne Pascoe", "Lee Marchant", "Craig Ibbotson", "Shaun Devlin")
SENTENCES: tuple[str, ...] = (
    "Sentencing is next month.", "He denies the charges.", "The trial continues.",
    "He was jailed for nine years.", "The jury is expected to retire tomorrow.",
)
ANCESTORS: tuple[str, ...] = ("great-grandfather", "grandmother", "great-aunt", "grandad", "great-grandmother")
WAR_FATES: tuple[str, ...] = (
    "was burned in the war and most of the men were shot in the square",
    "was shelled for a month and whole families were wiped out",
    "was occupied and a dozen farmers were hanged as partisans",
    "was bombed flat in a single night",
    "lost every young man to the trenches in one summer",
)
EXHIBITIONS: tuple[str, ...] = ("museum", "town library", "old chapel", "county archive", "school hall")
STRIKE_SITES: tuple[str, ...] = (
    "the queue outside a bakery", "a crowded bus station", "a school being used as a shelter", "a field hospital",
    "the main market", "a convoy of families fleeing the city",
)
TOLLS: tuple[str, ...] = ("eight", "twelve", "nineteen", "more than thirty", "at least forty", "dozens of")
WAR_SOURCES: tuple[str, ...] = ("aid agencies said", "the Red Cross said", "local officials said", "doctors said")
WAR_CODAS: tuple[str, ...] = (
    "The photos are hard to look at.", "Thank you to the reporter for staying to cover it.",
    "I hope someone is held to account.", "Awful. Thinking of the families.",
)
SPORT_OFFICIALS: tuple[str, ...] = ("referee", "manager", "chairman", "linesman", "club owner", "VAR official")
BEATINGS: tuple[str, ...] = (
    "I'll break both his legs myself", "I'll put him in hospital", "I'll knock his teeth down his throat",
    "he'll be leaving on a stretcher",
)
STREET_JUSTICE: tuple[str, ...] = (
    "do the same to him", "give him a proper kicking", "finish what the court wouldn't", "make sure he never walks again",
)
RELEASES: tuple[str, ...] = ("the minute he walks out of court", "the day he gets out", "when he's back on the estate")
PUT_DOWN: tuple[str, ...] = ("like a sick dog", "like a lame horse", "like a rabid fox", "like vermin")
GLOATS: tuple[str, ...] = ("I'd hold the needle.", "I'd pay to watch.", "Nobody would miss him.", "Sooner the better.")
# Pests, weeds, blights and things the dehumanising vocabulary is honestly used about.
SWARMS: tuple[str, ...] = ("locusts", "armyworms", "grasshoppers", "the caterpillars")
CROPS: tuple[str, ...] = ("wheat", "maize", "sorghum", "millet", "barley")
SPANS: tuple[str, ...] = ("in three days", "in a single week", "in one afternoon", "before the harvest")
CROP_CODAS: tuple[str, ...] = (
    "Farmers say it's the worst swarm in living memory.", "Food prices will follow, mark my words.",
    "Aid agencies are already warning of hunger.", "The photos in this article are unbelievable.",
)
YARD_PESTS: tuple[str, ...] = ("rats", "pigeons", "mice", "gulls", "foxes", "wasps' nests")
YARDS: tuple[str, ...] = (
    "the council car park", "the bins behind the market", "the hospital loading bay", "the old bus depot",
    "the alley behind the takeaways",
)
YARD_CODAS: tuple[str, ...] = (
    "and nobody has bothered to ring pest control", "and the council says it isn't their problem",
    "and they're getting bolder every week",
)
GARDEN_PESTS: tuple[str, ...] = ("slugs", "aphids", "snails", "caterpillars", "greenfly", "vine weevils")
PLOTS: tuple[str, ...] = ("on my allotment", "in the greenhouse", "on the roses", "in the veg patch")
GARDEN_CODAS: tuple[str, ...] = ("Any tips?", "Copper tape did nothing.", "Nematodes next, I think.", "I give up.")
HOUSE_PESTS: tuple[str, ...] = ("bedbugs", "fleas", "clothes moths", "cockroaches", "silverfish", "woodworm")
HOUSE_CODAS: tuple[str, ...] = (
    "Just get the exterminator in.", "Steam-clean everything and move on.", "Bag it all up and spray.",
    "Be ruthless.", "Hot wash on everything, that's all it takes.", "Freeze what you can't wash.",
)
WEEDS: tuple[str, ...] = ("Japanese knotweed", "giant hogweed", "bindweed", "ragwort", "Himalayan balsam")
WEED_SITES: tuple[str, ...] = ("along the riverbank", "on the railway embankment", "in the old quarry", "in the park")
BLIGHT_WORDS: tuple[str, ...] = ("a plague", "an infestation", "a menace", "a blight")
ROTS: tuple[str, ...] = ("damp", "black mould", "dry rot", "rising damp", "rot")
LANDLORD_CODAS: tuple[str, ...] = (
    "The landlord should be ashamed.", "Tenants have been complaining for years.", "Why is nobody fixing it?",
    "The council has known since spring.",
)
BLOCKS: tuple[str, ...] = (
    "those flats", "the school annex", "the tower on Marsh Street", "the old care home", "the leisure centre",
)
EVENTS: tuple[str, ...] = ("gig", "derby", "quiz night", "comedy show", "panto", "food festival", "fireworks")
OOPS: tuple[str, ...] = ("Shit", "Oh bollocks", "Bugger", "Damn it", "Oh for fuck's sake")
TICKET_CODAS: tuple[str, ...] = (
    "Anyone know if there are tickets left?", "Is it too late to get in?", "Do they sell tickets on the door?",
)
FRUSTRATIONS: tuple[str, ...] = (
    "the broadband", "the parking app", "the self-checkout", "my laptop", "the till at work", "the council website",
    "the new ticket machine", "my phone",
)
UTILITIES: tuple[str, ...] = ("the energy company", "the bank", "the water board", "my insurer", "the phone company")
WAITS: tuple[str, ...] = ("Three hours", "Ninety minutes", "Two hours", "Forty minutes")
BLUNDERS: tuple[str, ...] = (
    "drove all the way to the stadium and left the tickets on the kitchen table",
    "locked my keys in the car for the second time this week", "put diesel in a petrol car",
    "turned up to the wedding a day early", "sent the whole office my shopping list",
    "deleted the only photos of the holiday", "painted the fence the day before it poured down",
)
SWEARS: tuple[str, ...] = ("fucking", "bloody", "damn", "goddamn", "sodding")
EXCLAMATIONS: tuple[str, ...] = ("Holy fuck", "Jesus fucking Christ", "Fucking hell", "Bloody hell", "Holy shit")
TRIUMPHS: tuple[str, ...] = (
    "a winner in the ninety-fourth minute", "a hat-trick on his debut", "we actually won the quiz",
    "the bridge is finally open", "she passed her driving test first time", "the allotment won first prize",
)
CRASH_CODAS: tuple[str, ...] = (
    "Piece of shit", "Bloody useless thing", "Fuck this", "Sod it",
)
WORKPLACE_INSULTS: tuple[str, ...] = (
    "a fucking halfwit", "a shit writer", "a bloody idiot", "a useless prick", "a total dickhead", "a smug little shit",
    "a fucking moron",
)
INSULT_CODAS: tuple[str, ...] = ("Piece of shit", "Useless prick", "Fucking clown", "Absolute shithead")

# --- identity_mention: ordinary, neutral or warm comments that mention identities (Dixon et al. 2018). ---
# Identity words a commenter uses about themselves or others before a person noun: sexuality, gender identity, age
# and disability. All are words of GROUPS (``identity_words``, which evaluation uses to tell the identities our frames
# name from those they never name; "older" stays out for that reason); "in a wheelchair" comes in as a phrase
# after the noun (see ``_someone``).
SELF_IDENTITIES: tuple[str, ...] = (
    "gay", "lesbian", "bisexual", "queer", "trans", "transgender", "nonbinary", "homosexual", "straight",
    "heterosexual", "old", "elderly", "young", "deaf", "blind", "disabled", "paralyzed",
)
# Faiths and origins: the adjectives of GROUPS, less those that are above or that sit badly before a person noun.
ORIGINS_AND_FAITHS: tuple[str, ...] = tuple(dict.fromkeys(
    adj for _, adj in GROUPS if adj not in SELF_IDENTITIES and adj not in ("LGBT", "female", "male", "teenage")
))
AGE_WORDS: frozenset[str] = frozenset({"old", "elderly", "young"})
MALE_NOUNS: frozenset[str] = frozenset({"dad", "grandad", "grandfather", "husband", "man", "son", "brother", "uncle"})
FEMALE_NOUNS: frozenset[str] = frozenset({"mum", "nan", "grandmother", "wife", "woman", "daughter", "sister", "aunt"})
GENDERED_PERSONS: frozenset[str] = frozenset({"man", "woman", "nan", "grandad", "grandmother", "grandfather"})
# Who a commenter is, after "as a ..." or before "here".
COMMENTERS: tuple[str, ...] = (
    "teacher", "nurse", "bus driver", "student", "pensioner", "cyclist", "shop owner", "parent", "season ticket holder",
    "carer", "taxi driver", "volunteer", "commuter", "mum of two", "dad of three", "grandad", "mum",
)
YEARS_LIVED: tuple[str, ...] = (
    "six years", "most of my life", "twenty-odd years", "since the nineties", "about a decade", "three winters",
)
LOCAL_VIEWS: tuple[str, ...] = (
    "the 42 bus really should run past nine on Sundays", "the new cycle lane on Station Road has been a big improvement",
    "the library ought to open on Saturday afternoons again",
    "this piece got the parking problem on the high street exactly right",
    "the park by the river could do with more benches and a water fountain",
    "the Thursday market was better when it was on the square",
    "the new crossing outside the primary school was worth every penny",
    "the allotments behind the bus depot should get a proper water supply before next summer",
)
SHOPS: tuple[str, ...] = (
    "bakery", "corner shop", "bike repair place", "café", "florist", "hardware shop", "chip shop",
    "secondhand bookshop", "barber's",
)
WELCOME_GIFTS: tuple[str, ...] = (
    "a tray of baklava", "a huge pot of dal", "homemade shortbread", "a lemon drizzle cake", "jollof rice for the whole street",
    "a bottle of wine and a card", "fresh bread from their oven", "a box of plums from their old garden",
)
NEIGHBOURLY: tuple[str, ...] = (
    "our two lads now share a lift to Saturday football", "they've already fixed our wobbly gate", "we've swapped keys for the holidays",
    "they've joined our book club", "the whole close had a barbecue in their garden last month",
)
# (job, workplace) for a local news item.
POSTS: tuple[tuple[str, str], ...] = (
    ("nurse", "the county hospital"), ("teacher", "Millbrook Primary"), ("paramedic", "the ambulance station"),
    ("librarian", "the town library"), ("firefighter", "the Station Road fire station"),
    ("care worker", "the Linden Close care home"), ("lollipop man", "the Elmwood Avenue crossing"),
    ("youth worker", "the Bramley youth club"), ("midwife", "the maternity unit"),
)
AWARDS: tuple[str, ...] = (
    "a regional community award", "the county's volunteer of the year prize", "an award for outstanding service",
    "the paper's unsung hero award", "a national long-service medal",
)
AWARD_CODAS: tuple[str, ...] = (
    "Well deserved, the whole team must be proud.", "Congratulations from all of us on this side of town.",
    "Lovely thing to read over breakfast.", "Brilliant, and a great photo too.",
)
APPOINTMENTS: tuple[str, ...] = (
    "The new head at Millbrook High", "The new manager of the leisure centre", "Our new GP at the Cooper Lane surgery",
    "The new head of the fire station", "The new chair of the allotment society", "The new conductor of the town band",
)
APPOINTMENT_PASTS: tuple[str, ...] = (
    "has lived round the corner from it for twenty years", "grew up on the Fairfield estate",
    "has been a regular at the Saturday parkrun for years", "used to run the Brownies at the church hall",
    "coached my lad's football team for three seasons",
)
APPOINTMENT_CODAS: tuple[str, ...] = ("Great appointment.", "Good luck to them.", "Exciting times.", "Welcome aboard.")
# (identity after "is", the help a venue can offer)
ACCESS_NEEDS: tuple[tuple[str, str], ...] = (
    ("deaf", "a signed performance"), ("deaf", "a sign language interpreter"), ("blind", "audio description"),
    ("in a wheelchair", "step-free access"), ("disabled", "accessible toilets and parking"),
    ("paralyzed from the waist down", "a ramp at the entrance"), ("blind", "large-print programmes"),
    ("disabled", "a quiet seating area"),
)
OUTINGS: tuple[str, ...] = (
    "the Christmas panto at the town hall", "the summer fair in the park", "the food festival on the harbour",
    "the open day at the new leisure centre", "the fireworks at the cricket ground", "the carol concert in the cathedral",
    "the brass band concert on Kings Parade",
)
FAMILY: tuple[str, ...] = (
    "mum", "dad", "grandad", "nan", "brother", "sister", "son", "daughter", "husband", "wife", "best friend", "partner",
)
ARTICLE_THANKS: tuple[str, ...] = (
    "Really useful piece on the new bin collection days, thank you.", "Great article, the photos of the regatta are lovely.",
    "Thanks for explaining the changes to the school catchment so clearly.",
    "Clearest explanation of the parking permits I've read.", "Lovely write-up of the allotment show, my marrow made the photo!",
    "Cheers for covering the bus timetable changes, I'd missed them completely.",
)
# (relative, pronoun) for a casual comment.
KIN: tuple[tuple[str, str], ...] = (
    ("uncle", "he"), ("aunt", "she"), ("brother", "he"), ("sister", "she"), ("nan", "she"), ("grandad", "he"),
    ("cousin", "she"), ("stepdad", "he"), ("mate", "he"), ("flatmate", "she"),
)
PASTIMES: tuple[str, ...] = (
    "been running the quiz at the Fox and Hounds every thursday for years",
    "been doing the breakfast shift at the café on Marsh Street since it opened",
    "coached the under-10s on saturday mornings for ages", "played bass in the covers band at the Crown since 2015",
    "been fixing toasters at the repair café once a month", "been calling the bingo at the social club for years",
)
CASUAL_CODAS: tuple[str, ...] = (
    "come down sometime", "worth a visit", "say hi if you go", "best night out in town", "tell them i sent you",
)
COMMUNITY_WORDS: tuple[str, ...] = ORIGINS_AND_FAITHS + (
    "gay", "LGBT", "trans", "queer", "deaf", "blind", "disabled",
)
GATHERINGS: tuple[str, ...] = (
    "a coffee morning", "a fundraising quiz", "an open day", "a street party", "a charity football match",
    "a bring-and-share lunch", "a plant sale", "a family fun day",
)
HALLS: tuple[str, ...] = (
    "the scout hut", "the community centre", "the church hall on Cooper Lane", "the park bandstand", "the leisure centre",
    "the old library",
)
DAYS: tuple[str, ...] = ("Saturday", "Sunday afternoon", "the bank holiday Monday", "Friday evening", "the twelfth")
GATHERING_CODAS: tuple[str, ...] = (
    "the cake stall is always worth the trip.", "there's a bouncy castle for the kids.",
    "all the money goes to the hospice.", "it's free to get in.", "bring your own mug.",
)
AMOUNTS: tuple[str, ...] = ("£4,000", "more than £10,000", "nearly £2,500", "£800", "over £6,000", "£1,200")
CAUSES: tuple[str, ...] = (
    "the children's hospice", "the new scanner at the hospital", "the lifeboat station", "the flood appeal",
    "the school minibus", "the food bank",
)
UPBEAT_CODAS: tuple[str, ...] = (
    "Lovely story to read on a Monday.", "Well done to everyone who baked, ran and rattled tins.",
    "More of this on the front page, please.", "Great effort all round.",
)
TOGETHER: tuple[str, ...] = (
    "planting trees along the canal", "clearing litter off the beach", "painting the scout hut", "serving Christmas dinner at the shelter",
    "fixing up old bikes for the primary school", "building the new play area in the park",
)
# (team, its members, one member's role)
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("Sunday league side", "players", "goalkeeper"), ("community choir", "singers", "conductor"),
    ("netball team", "players", "captain"), ("running club", "runners", "coach"), ("pub quiz team", "members", "captain"),
    ("cricket club", "players", "wicketkeeper"),
)
TEAM_NEWS: tuple[str, ...] = (
    "we had the best season in the club's history", "we're off to the regional finals in May",
    "everyone gets a lift home from someone", "the tea after training is legendary",
)
FAITH_VISITS: tuple[tuple[str, str, str], ...] = (
    ("Hindu temple", "Hindu", "Diwali"), ("gurdwara", "Sikh", "Vaisakhi"), ("synagogue", "Jewish", "Hanukkah"),
    ("mosque", "Muslim", "Eid"), ("Buddhist centre", "Buddhist", "Vesak"), ("Catholic church", "Catholic", "Candlemas"),
    ("Methodist chapel", "Christian", "harvest"),
)
COMING_OUT: tuple[str, ...] = ("gay", "lesbian", "bisexual", "trans", "nonbinary", "queer")
SUPPORTERS: tuple[str, ...] = (
    "the school", "the football club", "the grandparents", "the youth club", "their friends", "the teachers at Millbrook High",
)
PROUD_CODAS: tuple[str, ...] = (
    "Proud parent.", "Proud mum, proud dad, happy kid.", "Just wanted to share some good news under this article.",
    "Thank you, {town}.",
)
HOBBIES: tuple[str, ...] = ("wild swimming", "bouldering", "the ukulele", "Spanish lessons", "parkrun", "pottery", "tap dancing")
AGES: tuple[str, ...] = ("sixty-eight", "seventy", "seventy-three", "eighty", "sixty-five")
CLUBS: tuple[str, ...] = (
    "walking group", "book club", "parents' group", "youth club", "social club", "allotment group", "gardening circle",
)
DONATIONS: tuple[str, ...] = (
    "boxes of books", "spare football kits", "a piano", "two sofas", "a load of board games", "some garden tools",
)
ANNIVERSARIES: tuple[str, ...] = ("forty", "fifty", "sixty", "twenty-five", "thirty")
STROLLS: tuple[str, ...] = ("on the prom", "down Kings Parade", "by the bandstand", "outside the registry office")


def _fits(adjective: str, noun: str) -> bool:
    head = noun.split()[0]
    return not (
        adjective == "lesbian" and head in MALE_NOUNS
        or adjective == "Latino" and head in FEMALE_NOUNS
        or adjective == "nonbinary" and head in GENDERED_PERSONS
    )


def _in(town: str) -> str:
    return f"{'on' if town.endswith('estate') else 'in'} {town}"


def _couple_word(rng: random.Random) -> str:
    word = _identity(rng, ages=False)
    return word if word != "paralyzed" else _c(rng, ("old", "elderly"))


def _identity(rng: random.Random, ages: bool = True) -> str:
    words = SELF_IDENTITIES if ages else tuple(w for w in SELF_IDENTITIES if w not in AGE_WORDS)
    return _c(rng, words) if rng.random() < 0.5 else _c(rng, ORIGINS_AND_FAITHS)


def _someone(rng: random.Random, noun: str, ages: bool = True) -> str:
    """"a deaf nurse", "an elderly cyclist", "a Sikh dad" or "a nurse in a wheelchair"."""
    if rng.random() < 0.1:
        return f"{_an(noun)} {_c(rng, ('in a wheelchair', 'who uses a wheelchair'))}"
    adjective = _identity(rng, ages)
    while not _fits(adjective, noun):
        adjective = _identity(rng, ages)
    return f"{_an(adjective)} {noun}"


def _couple_business(rng: random.Random) -> str:
    partner = _c(rng, ("wife", "husband", "partner"))
    adjective = _identity(rng)
    while not _fits(adjective, partner):
        adjective = _identity(rng)
    years = _c(rng, ("six", "twelve", "nearly twenty", "eight", "thirty"))
    return (f"My {partner} and I are both {adjective} and we've run the {_c(rng, SHOPS)} on {_c(rng, STREETS)} for "
            f"{years} years. Pop in and say hello if you liked the article!")


def _casual_kin(rng: random.Random) -> str:
    adjective = _identity(rng)
    if adjective == "nonbinary":
        relative, pronoun = _c(rng, ("cousin", "mate", "flatmate")), "they've"
    else:
        relative, pronoun = _c(rng, KIN)
        while not _fits(adjective, "man" if pronoun == "he" else "woman"):
            relative, pronoun = _c(rng, KIN)
        pronoun += "'s"
    return f"my {relative} is {adjective}{_c(rng, (' too', '', ''))} and {pronoun} {_c(rng, PASTIMES)}, {_c(rng, CASUAL_CODAS)}".lower()


def _pair(rng: random.Random) -> tuple[str, str]:
    first, second = rng.sample(GROUPS, 2)
    while first[0] == second[0] or first[1] == second[1]:
        first, second = rng.sample(GROUPS, 2)
    return first[0], second[0]


def _team(rng: random.Random) -> str:
    team, members, role = _c(rng, TEAMS)
    first, second = rng.sample(COMMUNITY_WORDS, 2)
    return (f"Our {team} has {first} {members}, {second} {members} and {_someone(rng, role)}, and "
            f"{_c(rng, TEAM_NEWS)}.")


def _faith_visit(rng: random.Random) -> str:
    building, faith, festival = _c(rng, FAITH_VISITS)
    when = _c(rng, ("for families", "in the school holidays", "for school groups", "at weekends"))
    kids = _c(rng, ("My kids", "My grandkids", "The twins", "The children in my Year 4 class", "Our Cubs"))
    return (f"Does anyone know if the {building} on {_c(rng, STREETS)} does open days {when}? {kids} are learning "
            f"about {faith} festivals like {festival} and have lots of questions.")


def _coming_out(rng: random.Random) -> str:
    child = _c(rng, ("son", "daughter", "eldest", "youngest", "teenager"))
    identity = _c(rng, COMING_OUT)
    while not _fits(identity, child):
        identity = _c(rng, COMING_OUT)
    coda = _c(rng, PROUD_CODAS).format(town=_c(rng, ("Harrowby", "Kettleford", "Millbrook", "Bramley", "Ashworth")))
    return f"My {child} came out as {identity} last year and {_c(rng, SUPPORTERS)} have been wonderful. {coda}"


def _grandparent(rng: random.Random) -> str:
    elder = _c(rng, ("grandmother", "grandfather", "nan", "grandad", "grandparent"))
    who = _someone(rng, elder, ages=False) if rng.random() < 0.6 else f"{_an(_c(rng, ('elderly', 'old')))} {elder}"
    return (f"I'm {who} "
            f"of {_c(rng, ('two', 'three', 'five', 'seven'))} and took up {_c(rng, HOBBIES)} at {_c(rng, AGES)}. Best decision "
            f"I ever made, the club at {_c(rng, HALLS)} is so welcoming.")


BLIND_FRAMES: tuple[Frame, ...] = (
    # --- negation: negated stereotypes, dehumanisation and violence; twins assert them. ---
    Frame("negation", lambda r: f"No one in this thread actually thinks {_c(r, GROUPS)[0]} are {_c(r, SMEAR_ADJECTIVES)}, so can we stop pretending that's what the argument is about?", NOT_TOXIC),
    Frame("negation", lambda r: f"It's a myth that {_c(r, GROUPS)[0]} {_c(r, SMEAR_ACTS)}. The numbers for {_c(r, TOWNS)} show nothing of the sort.", NOT_TOXIC),
    Frame("negation", lambda r: f"I refuse to believe the {_c(r, GROUPS)[0]} on my street are {_c(r, NONHUMAN)}. They're people, same as the rest of us.", NOT_TOXIC),
    Frame("negation", lambda r: f"{_cap(_c(r, GROUPS)[0])} aren't {_c(r, SMEAR_ADJECTIVES)}, and saying so in a comment section is how these rumours spread.", NOT_TOXIC),
    Frame("negation", lambda r: f"There is no excuse to {_c(r, HURT)} the {_c(r, WRITERS)} over {_c(r, GRIEVANCES)}. {_c(r, REMEDIES)}", NOT_TOXIC),
    Frame("negation", lambda r: f"Grew up in {_c(r, TOWNS)} with {_c(r, GROUPS)[0]} all round us and not one of them was ever {_c(r, SMEAR_ADJECTIVES)}. Tired old stereotype.", NOT_TOXIC),
    Frame("identity_attack", lambda r: f"Everyone in this thread knows {_c(r, GROUPS)[0]} are {_c(r, SMEAR_ADJECTIVES)}, they just haven't got the nerve to say it.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"It's no myth, {_c(r, GROUPS)[0]} {_c(r, SMEAR_ACTS)}. Just look at {_c(r, TOWNS)}.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"The {_c(r, GROUPS)[0]} on my street are {_c(r, NONHUMAN)}, same as the rest of their kind. Not people like us.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Grew up in {_c(r, TOWNS)} with {_c(r, GROUPS)[0]} all round us and every one of them was {_c(r, SMEAR_ADJECTIVES)}. The stereotype exists for a reason.", IDENTITY_HATE),
    Frame("threat", lambda r: f"The {_c(r, WRITERS)} deserves to get hurt over {_c(r, GRIEVANCES)}, and {_c(r, ACCOMPLICES)}.", THREAT),
    Frame("threat", lambda r: f"Write a letter? No, the {_c(r, WRITERS)} should be {_c(r, PASSIVE_HARM)} for this, and {_c(r, ACCOMPLICES)}.", THREAT),
    # --- counter_speech: someone else's hate reported to condemn, debunk or mock it; twins endorse it. ---
    Frame("counter_speech", lambda r: f"{_c(r, HEARSAY)} {_c(r, GROUPS)[0]} {_c(r, SMEAR_ACTS)}. {_c(r, REBUKES)}", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"People like my {_c(r, RELATIVES)} say {_c(r, GROUPS)[0]} are {_c(r, SMEAR_ADJECTIVES)}. They're wrong, because {_c(r, REBUTTALS)}.", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"Saw a banner on the ring road bridge this morning calling {_c(r, GROUPS)[0]} {_c(r, NONHUMAN)}. Pulled it down myself and put it in the bin where it belongs.", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"Ah yes, the old line about {_c(r, GROUPS)[0]} being {_c(r, SMEAR_ADJECTIVES)}. Did you get that from your {_c(r, RELATIVES)}'s Facebook? Try reading past the headline.", NOT_TOXIC),
    Frame("counter_speech", lambda r: f"My {_c(r, RELATIVES)} reckons {_c(r, GROUPS)[0]} {_c(r, SMEAR_ACTS)}. I stopped going round for Sunday lunch over it, and I'd do it again.", NOT_TOXIC),
    Frame("endorsed_hate", lambda r: f"{_c(r, HEARSAY)} {_c(r, GROUPS)[0]} {_c(r, SMEAR_ACTS)}. {_c(r, APPROVALS)}", IDENTITY_HATE),
    Frame("endorsed_hate", lambda r: f"People like my {_c(r, RELATIVES)} say {_c(r, GROUPS)[0]} are {_c(r, SMEAR_ADJECTIVES)}, and they're right, I've seen it with my own eyes.", IDENTITY_HATE),
    Frame("endorsed_hate", lambda r: f"Saw a banner on the ring road bridge this morning calling {_c(r, GROUPS)[0]} {_c(r, NONHUMAN)}. Whoever hung it up was spot on.", IDENTITY_HATE),
    Frame("endorsed_hate", lambda r: f"Laugh all you like at the old line about {_c(r, GROUPS)[0]} being {_c(r, SMEAR_ADJECTIVES)}, it stuck around because it's true.", IDENTITY_HATE),
    # --- implicit_threat: no violent verb, but the menace is plain; twins use the same phrases harmlessly. ---
    Frame("implicit_threat", lambda r: f"Nice house on {_c(r, STREETS)}, {_c(r, NAMED)}. Blue door, isn't it? Lovely place. Would hate for anything to spoil it.", IMPLICIT_THREAT),
    Frame("implicit_threat", lambda r: f"{_c(r, ROUTINES)}, {_c(r, NAMED)}. Accidents happen.", IMPLICIT_THREAT),
    Frame("implicit_threat", lambda r: f"Say hi to your {_c(r, KIDS)} at {_c(r, KID_ACTIVITIES)} for us, {_c(r, NAMED)}. We know the way.", IMPLICIT_THREAT),
    Frame("implicit_threat", lambda r: f"We'll be waiting outside {_c(r, VENUES)} when you finish tonight, {_c(r, NAMED)}. All of us.", IMPLICIT_THREAT),
    Frame("implicit_threat", lambda r: f"You won't be {_c(r, ROLES_HELD)} much longer, {_c(r, NAMED)}. {_c(r, MENACE_CODAS)}", IMPLICIT_THREAT),
    Frame("implicit_benign", lambda r: f"Lovely photos of your garden on {_c(r, STREETS)}, {_c(r, NAMED)}. Would hate for anything to spoil them, so throw a fleece over the roses tonight, it's meant to freeze.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"{_c(r, ROUTINES)}? Take care on the way, {_c(r, NAMED)}, accidents happen when it's this icy.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Say hi to your {_c(r, KIDS)} at {_c(r, KID_ACTIVITIES)} for us, {_c(r, FIRST_NAMES)}! We've missed you both at the school gate.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"We'll be waiting outside {_c(r, VENUES)} when you finish tonight, {_c(r, NAMED)}, with a pen and our copies of the book for you to sign.", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"So you won't be {_c(r, ROLES_HELD)} much longer, {_c(r, NAMED)}? {_c(r, FAREWELLS)}", NOT_TOXIC),
    Frame("implicit_benign", lambda r: f"Chilling history piece. Under {_c(r, REGIMES)} people disappeared for less than {_c(r, TRIVIAL_OFFENCES)}, and {_c(r, TOWNS)} still has a memorial to them.", NOT_TOXIC),
    # --- violence_report: violent words in sport, courts, fiction, history, medicine and pest control; twins wish harm. ---
    Frame("violence_report", lambda r: f"Our {_c(r, SPORT_PLAYERS)} {_c(r, SPORT_FEATS)}. {_c(r, MATCH_CODAS)}", NOT_TOXIC),
    Frame("violence_report", lambda r: f"The jury heard that {_c(r, DEFENDANTS)} had {_c(r, CRIMES)} in {_c(r, TOWNS)} before fleeing in a stolen van. {_c(r, SENTENCES)}", NOT_TOXIC),
    Frame("violence_report", lambda r: f"The new {_c(r, FICTION)} opens with {_c(r, FICTION_VIOLENCE)}, and honestly it's the best thing I've seen this year.", NOT_TOXIC),
    Frame("violence_report", lambda r: f"{_c(r, CULLS)}. {_c(r, CULL_CODAS)}", NOT_TOXIC),
    Frame("violence_report", lambda r: f"My {_c(r, ANCESTORS)}'s village {_c(r, WAR_FATES)}. The exhibition at the {_c(r, EXHIBITIONS)} tells their story well.", NOT_TOXIC),
    Frame("violence_report", lambda r: f"Shelling hit {_c(r, STRIKE_SITES)} and {_c(r, TOLLS)} people were killed, {_c(r, WAR_SOURCES)}. {_c(r, WAR_CODAS)}", NOT_TOXIC),
    Frame("threat", lambda r: f"If that {_c(r, SPORT_OFFICIALS)} shows his face at {_c(r, ('our ground', 'the club', 'the Fox and Hounds', 'a match round here'))} again, {_c(r, BEATINGS)}.", THREAT),
    Frame("threat", lambda r: f"{_c(r, DEFENDANTS)} will get off lightly, so someone should be waiting to {_c(r, STREET_JUSTICE)} {_c(r, RELEASES)}.", THREAT),
    Frame("threat", lambda r: f"I'd love to see the {_c(r, ROLES)} get what the first victim in that {_c(r, FICTION)} gets. Every last second of it.", THREAT),
    Frame("threat", lambda r: f"They should put the {_c(r, ROLES)} down {_c(r, PUT_DOWN)}. {_c(r, GLOATS)}", THREAT),
    # --- dehumanisation: the words honestly used of pests, weeds and things; twins turn them on people. ---
    Frame("dehumanisation", lambda r: f"{_cap(_c(r, SWARMS))} stripped the {_c(r, CROPS)} fields {_c(r, SPANS)}. {_c(r, CROP_CODAS)}", NOT_TOXIC),
    Frame("dehumanisation", lambda r: f"There are {_c(r, YARD_PESTS)} everywhere in {_c(r, YARDS)} {_c(r, YARD_CODAS)}.", NOT_TOXIC),
    Frame("dehumanisation", lambda r: f"The {_c(r, GARDEN_PESTS)} {_c(r, PLOTS)} multiply faster than I can pick them off. {_c(r, GARDEN_CODAS)}", NOT_TOXIC),
    Frame("dehumanisation", lambda r: f"{_cap(_c(r, WEEDS))} is {_c(r, BLIGHT_WORDS)} {_c(r, WEED_SITES)} and should be exterminated before it spreads any further.", NOT_TOXIC),
    Frame("dehumanisation", lambda r: f"Don't lose sleep over the {_c(r, HOUSE_PESTS)}, they don't feel pain like we do. {_c(r, HOUSE_CODAS)}", NOT_TOXIC),
    Frame("dehumanisation", lambda r: f"The {_c(r, ROTS)} in {_c(r, BLOCKS)} is a cancer, it spreads through every wall. {_c(r, LANDLORD_CODAS)}", NOT_TOXIC),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} came through {_c(r, TOWNS)} like {_c(r, SWARMS)}, stripped it bare and moved on.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} multiply faster than anyone can count. Give it ten years and there'll be nothing left for the rest of us.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Spare me the sob stories. {_cap(_c(r, GROUPS)[0])} don't feel pain like we do.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"Let's be honest, {_c(r, GROUPS)[0]} aren't really human, not in any way that counts.", IDENTITY_HATE),
    Frame("identity_attack", lambda r: f"{_cap(_c(r, GROUPS)[0])} are like the {_c(r, ROTS)} in {_c(r, BLOCKS)}, they spread through every street until the whole place is rotten.", IDENTITY_HATE),
    Frame("threat", lambda r: f"{_cap(_c(r, PEOPLES)[0])} should be exterminated like the {_c(r, WEEDS)} {_c(r, WEED_SITES)}, roots and all.", GROUP_THREAT),
    # --- profanity: swearing at things, at luck, at oneself; twins swear at a person. ---
    Frame("profanity", lambda r: f"{_c(r, WAITS)} on hold to {_c(r, UTILITIES)} and then they cut me off. {_cap(_c(r, SWEARS))} brilliant.", PROFANE),
    Frame("profanity", lambda r: f"{_c(r, OOPS)}, I forgot the {_c(r, EVENTS)} was tonight. {_c(r, TICKET_CODAS)}", PROFANE),
    Frame("profanity", lambda r: f"I'm such a {_c(r, SWEARS)} idiot, I {_c(r, BLUNDERS)}.", PROFANE),
    Frame("profanity", lambda r: f"{_c(r, EXCLAMATIONS)}, {_c(r, TRIUMPHS)}! I'm still shaking.", PROFANE),
    Frame("profanity", lambda r: f"{_cap(_c(r, FRUSTRATIONS))} has crashed four times since breakfast. {_c(r, CRASH_CODAS)}, I'm going back to pen and paper.", PROFANE),
    Frame("insult", lambda r: f"{_c(r, WAITS)} reading your columns, {_c(r, NAMED)}, and all I've learned is that you're {_c(r, WORKPLACE_INSULTS)}.", INSULTING),
    Frame("insult", lambda r: f"Shit article from a shit {_c(r, ('writer', 'hack', 'reporter'))}. You're {_an(_c(r, INSULT_NOUNS))}, {_c(r, NAMED)}.", INSULTING),
    Frame("insult", lambda r: f"You're such a {_c(r, SWEARS)} idiot, {_c(r, NAMED)}. Every word you write proves it.", INSULTING),
    Frame("insult", lambda r: f"{_c(r, EXCLAMATIONS)}, is the {_c(r, ROLES)} really this thick? What a {_c(r, SWEARS)} {_c(r, INSULT_NOUNS)}.", INSULTING),
    Frame("insult", lambda r: f"The {_c(r, ROLES)} couldn't run a bath, let alone do this job. {_c(r, INSULT_CODAS)}.", INSULTING),
    # --- identity_mention: people describing themselves, family, neighbours and colleagues, community events,
    # news facts and questions, with no attack and no negation; the attacks above name the same groups. ---
    Frame("identity_mention", lambda r: f"As {_someone(r, _c(r, COMMENTERS))} who has lived {_in(_c(r, TOWNS))} for {_c(r, YEARS_LIVED)}, I think {_c(r, LOCAL_VIEWS)}.", NOT_TOXIC),
    Frame("identity_mention", _couple_business, NOT_TOXIC),
    Frame("identity_mention", lambda r: f"The {_couple_word(r)} couple who moved in next door brought round {_c(r, WELCOME_GIFTS)} on their first weekend, and {_c(r, NEIGHBOURLY)}.", NOT_TOXIC),
    Frame("identity_mention", lambda r: (lambda job, place: f"{_c(r, FIRST_NAMES)}, {_someone(r, job, ages=False)} at {place}, has been shortlisted for {_c(r, AWARDS)}, the article says. {_c(r, AWARD_CODAS)}")(*_c(r, POSTS)), NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_c(r, APPOINTMENTS)} is {_someone(r, _c(r, ('man', 'woman')), ages=False)} who {_c(r, APPOINTMENT_PASTS)}. {_c(r, APPOINTMENT_CODAS)}", NOT_TOXIC),
    Frame("identity_mention", lambda r: (lambda who, need: f"Does anyone know if {_c(r, OUTINGS)} has {need}? My {_c(r, FAMILY)} is {who} and would love to go.")(*_c(r, ACCESS_NEEDS)), NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_someone(r, _c(r, COMMENTERS)).split(' ', 1)[1])} here. {_c(r, ARTICLE_THANKS)}", NOT_TOXIC),
    Frame("identity_mention", _casual_kin, NOT_TOXIC),
    Frame("identity_mention", lambda r: f"The {_c(r, COMMUNITY_WORDS)} community {_in(_c(r, TOWNS))} is holding {_c(r, GATHERINGS)} at {_c(r, HALLS)} on {_c(r, DAYS)}. Everyone's welcome, and {_c(r, GATHERING_CODAS)}", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} {_in(_c(r, TOWNS))} raised {_c(r, AMOUNTS)} for {_c(r, CAUSES)} this year, the article says. {_c(r, UPBEAT_CODAS)}", NOT_TOXIC),
    Frame("identity_mention", lambda r: (lambda a, b: f"The photo of {a} and {b} {_c(r, TOGETHER)} is the best thing in today's paper.")(*_pair(r)), NOT_TOXIC),
    Frame("identity_mention", _team, NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Could the paper do a series on {_c(r, GROUPS)[0]} who run small businesses {_in(_c(r, TOWNS))}? The piece on the {_c(r, SHOPS)} on {_c(r, STREETS)} last month was lovely.", NOT_TOXIC),
    Frame("identity_mention", _coming_out, NOT_TOXIC),
    Frame("identity_mention", _faith_visit, NOT_TOXIC),
    Frame("identity_mention", _grandparent, NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Anyone know who runs the {_c(r, COMMUNITY_WORDS)} {_c(r, CLUBS)} at {_c(r, HALLS)} these days? I've got {_c(r, DONATIONS)} to pass on.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Lovely to see {_an(_couple_word(r))} couple in today's paper celebrating {_c(r, ANNIVERSARIES)} years together. Still holding hands {_c(r, STROLLS)}, what a photo.", NOT_TOXIC),
)
