"""Balancing twins for the attacks on groups in :mod:`civility.training.blind_frames`.

Why: every attack there on a group (``IDENTITY_HATE`` and ``GROUP_THREAT`` frames) has a short, distinctive sentence
shape with a group slot, and no harmless sentence of that shape named the same groups, so a model could learn "group
word in this shape = hate" and score neutral mentions of gay, trans, Black, blind or Muslim people as toxic. Each such
attack gets two harmless sentences here, of the same shape and naming the same groups: neutral, mundane, warm or civic
things a reader writes under a local news story. No contempt, no dehumanising or violent words and no negated insults
(negation has its own frames), so a group word in that shape is no cue by itself.

Written clean-room, like ``blind_frames``: without sight of the contrast suite, the bias templates, the reference page
or any evaluation results. The drafts still pass the same lexical and semantic guards as every other written frame.
"""

from __future__ import annotations

from civility.training.blind_frames import (
    CLUBS,
    HALLS,
    RELATIVES,
    ROTS,
    SHOPS,
    STREETS,
    TOWNS,
    WEED_SITES,
    WEEDS,
    _in,
)
from civility.training.written_cases import GROUPS, NOT_TOXIC, PEOPLES, Frame, _c, _cap

# The towns of TOWNS that take "in" and read as a whole town (no estates, flats or "our end of town").
TOWN_NAMES: tuple[str, ...] = tuple(town for town in TOWNS if not town.startswith(("the ", "our ")))
# Things people have long done for a town (after "have ... for years").
STALWART_YEARS: tuple[str, ...] = (
    "kept the food bank going", "run half the stalls at the Thursday market", "sung in the parish choir",
    "organised the beach clean", "coached the junior football teams", "filled the tables at the library quiz",
    "done the teas at the cricket club",
)
# The same in the present tense (after a plural subject).
CIVIC_DOINGS: tuple[str, ...] = (
    "turn out for every litter pick", "make up half the volunteers at the food bank", "sing in the parish choir",
    "run the tombola at every school fair", "keep the allotment society going", "fill the library on quiz night",
    "staff the tea urn at the Sunday car boot sale",
)
# When a group arrived or passed through.
ERAS: tuple[str, ...] = ("the fifties", "the sixties", "the seventies", "the eighties", "the nineties")
# Neighbourly grumbles everyone on a street shares (after "are").
STREET_GRUMBLES: tuple[str, ...] = (
    "fed up with the potholes", "waiting on the same late parcel delivery", "on the residents' group chat",
    "hoping the bin strike ends soon", "out every Sunday washing their cars", "moaning about the new parking permits",
)
STREET_HOSTING: tuple[str, ...] = (
    "hosting the street party", "running the plant sale", "doing the barbecue for the close",
    "putting on the Halloween trail for the kids", "organising the Christmas lights",
)
# What a grown-up remembers of the neighbours they grew up with (after "every one of them").
CHILDHOOD: tuple[str, ...] = (
    "came to the street party for the Jubilee", "cheered us on at sports day",
    "bought a raffle ticket from me for the scouts", "waved at the school bus every morning",
    "had a chat with my nan over the garden wall",
)
# Harmless openers for local news, some of them the hearsay openers of the attacks (each ends where the news begins).
NEWS_OPENERS: tuple[str, ...] = (
    "At the residents' meeting a man stood up and announced that",
    "Councillor Dunmore told a packed church hall that",
    "A poster on the lamp post outside the primary school says",
    "The headteacher's newsletter says",
    "My daughter came home from school and told me",
    "According to the parish magazine,",
)
PLAIN_APPROVALS: tuple[str, ...] = (
    "Couldn't have put it better myself.", "Every word of it is spot on.", "Good, people need to hear it.",
)
GROUP_EVENTS: tuple[str, ...] = (
    "are holding a charity walk along the canal next month", "have raised the money for the new school minibus",
    "will be serving free breakfasts at the community centre over the holidays",
    "are opening their allotment to visitors on Sunday", "are putting on a concert for the hospice in June",
)
NEWS_CODAS: tuple[str, ...] = (
    "Lovely to hear.", "Count me in.", "Good news for a change.", "I'll be there with the kids.",
)
# What a group is the backbone of (after "the backbone of").
BACKBONES: tuple[str, ...] = (
    "the Saturday market", "the parish choir", "the food bank", "the Sunday league", "the allotment society",
    "the lifeboat crew", "the hospital's volunteer driver scheme",
)
FESTIVALS: tuple[str, ...] = ("summer fair", "food festival", "regatta", "carnival", "twinning weekend", "flower show")
SIGNUPS: tuple[str, ...] = (
    "the fun run", "the community choir", "the litter pick on Sunday", "the blood donor session at the town hall",
    "the new walking football team",
)
# Bits of local history that get told and retold (after "being").
LORE: tuple[str, ...] = (
    "the first to open a shop on Station Road", "the ones who saved the bandstand in the eighties",
    "behind the first cricket club in the county", "the ones who started the carnival",
    "the first to sign up when the lifeboat station needed a crew",
)
PETITIONS: tuple[str, ...] = (
    "the new crossing by the school", "a later bus on Sundays", "keeping the library open",
    "a lido in the park", "proper lighting on the canal path",
)
# Homes whose tenants share a landlord's neglect.
HOMES: tuple[str, ...] = (
    "the riverside flats", "the Fairfield estate", "the harbour estate", "the tower on Marsh Street",
    "the old almshouses",
)


BALANCE_FRAMES: tuple[Frame, ...] = (
    # Balances "Everyone in this thread knows {groups} are {smear adjective}, ..."
    Frame("identity_mention", lambda r: f"Everyone in this thread knows {_c(r, GROUPS)[0]} have {_c(r, STALWART_YEARS)} for years, the article just hasn't got the room to say it.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Everyone in this thread knows the {_c(r, GROUPS)[0]} who run the {_c(r, SHOPS)} on {_c(r, STREETS)}, we just haven't got round to thanking them for the Christmas lights.", NOT_TOXIC),
    # Balances "It's no myth, {groups} {smear act}. Just look at {town}."
    Frame("identity_mention", lambda r: f"It's no myth, {_c(r, GROUPS)[0]} {_c(r, CIVIC_DOINGS)}. Just look at the photos from {_c(r, TOWNS)}.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"It's true what the article says, {_c(r, GROUPS)[0]} have lived {_in(_c(r, TOWNS))} since {_c(r, ERAS)}. Just look at the names above the shops on {_c(r, STREETS)}.", NOT_TOXIC),
    # Balances "The {groups} on my street are {nonhuman}, same as the rest of their kind. ..."
    Frame("identity_mention", lambda r: f"The {_c(r, GROUPS)[0]} on my street are {_c(r, STREET_GRUMBLES)}, same as the rest of us. Ordinary neighbours.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"The {_c(r, GROUPS)[0]} on my street are {_c(r, STREET_HOSTING)} again this year, same as always. All welcome, bring a chair.", NOT_TOXIC),
    # Balances "Grew up in {town} with {groups} all round us and every one of them was {smear adjective}. ..."
    Frame("identity_mention", lambda r: f"Grew up {_in(_c(r, TOWNS))} with {_c(r, GROUPS)[0]} all round us and every one of them knew my mum by name. The photos in this article brought it all back.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Grew up {_in(_c(r, TOWNS))} with {_c(r, GROUPS)[0]} all round us and every one of them {_c(r, CHILDHOOD)}. Happy days.", NOT_TOXIC),
    # Balances "{hearsay} {groups} {smear act}. {approval}"
    Frame("identity_mention", lambda r: f"{_c(r, NEWS_OPENERS)} {_c(r, GROUPS)[0]} {_c(r, CIVIC_DOINGS)}. {_c(r, PLAIN_APPROVALS)}", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_c(r, NEWS_OPENERS)} {_c(r, GROUPS)[0]} {_in(_c(r, TOWNS))} {_c(r, GROUP_EVENTS)}. {_c(r, NEWS_CODAS)}", NOT_TOXIC),
    # Balances "People like my {relative} say {groups} are {smear adjective}, and they're right, ..."
    Frame("identity_mention", lambda r: f"People like my {_c(r, RELATIVES)} say {_c(r, GROUPS)[0]} are the backbone of {_c(r, BACKBONES)}, and they're right, I've seen it with my own eyes.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"People like my {_c(r, RELATIVES)} say {_c(r, GROUPS)[0]} have been part of the carnival {_in(_c(r, TOWNS))} for decades, and they're right, the library has photos going back to the fifties.", NOT_TOXIC),
    # Balances "Saw a banner on the ring road bridge this morning calling {groups} {nonhuman}. ..."
    Frame("identity_mention", lambda r: f"Saw a banner on the ring road bridge this morning welcoming {_c(r, GROUPS)[0]} to {_c(r, TOWN_NAMES)} for the {_c(r, FESTIVALS)}. Whoever hung it up, thank you, it made my morning.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Saw a banner on the ring road bridge this morning calling on {_c(r, GROUPS)[0]} and everyone else to sign up for {_c(r, SIGNUPS)}. Whoever hung it up, nice one.", NOT_TOXIC),
    # Balances "Laugh all you like at the old line about {groups} being {smear adjective}, ..."
    Frame("identity_mention", lambda r: f"Laugh all you like at the old story about {_c(r, GROUPS)[0]} being {_c(r, LORE)}, it stuck around because it's true.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Everyone smiles at the old line about {_c(r, GROUPS)[0]} being the first customers at the {_c(r, SHOPS)} on {_c(r, STREETS)} when it opened, but my {_c(r, RELATIVES)} was there and swears it's true.", NOT_TOXIC),
    # Balances "{Groups} came through {town} like {swarms}, stripped it bare and moved on."
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} came through {_c(r, TOWNS)} in {_c(r, ERAS)}, opened shops and stayed.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} came through {_c(r, TOWNS)} every summer for the {_c(r, FESTIVALS)}, and the whole street turned out.", NOT_TOXIC),
    # Balances "{Groups} multiply faster than anyone can count. Give it ten years and ..."
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} at the allotments {_in(_c(r, TOWNS))} grow courgettes faster than anyone can eat them. Give it ten years and there'll be a farm shop for the rest of us.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} signed the petition for {_c(r, PETITIONS)} faster than anyone could count. Give it ten years and the whole town will be thanking them.", NOT_TOXIC),
    # Balances "Spare me the sob stories. {Groups} don't feel pain like we do."
    Frame("identity_mention", lambda r: f"Spare me the small print. {_cap(_c(r, GROUPS)[0])} {_in(_c(r, TOWNS))} want the same from this budget as everyone else: a bus that turns up and a library that opens.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Spare me the spin from the council. {_cap(_c(r, GROUPS)[0])} {_in(_c(r, HOMES))} feel the cold like we all do, and the heating has been off since October.", NOT_TOXIC),
    # Balances "Let's be honest, {groups} aren't really human, not in any way that counts."
    Frame("identity_mention", lambda r: f"Let's be honest, {_c(r, GROUPS)[0]} are really the ones keeping the {_c(r, CLUBS)} at {_c(r, HALLS)} going, in every way that counts.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"Let's be honest, {_c(r, GROUPS)[0]} really do make the {_c(r, FESTIVALS)} in {_c(r, TOWN_NAMES)}, and the photos in this piece show it.", NOT_TOXIC),
    # Balances "{Groups} are like the {rot} in {block}, they spread through every street until ..."
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} are like the rest of the tenants {_in(_c(r, HOMES))}, they've reported the {_c(r, ROTS)} a dozen times and the landlord still hasn't fixed it.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_c(r, GROUPS)[0])} from {_c(r, HOMES)} did the leaflet drop for the {_c(r, FESTIVALS)}, they went through every street until the whole place knew about it.", NOT_TOXIC),
    # Balances "{Peoples} should be exterminated like the {weeds} {weed site}, roots and all." (GROUP_THREAT)
    Frame("identity_mention", lambda r: f"{_cap(_c(r, PEOPLES)[0])} {_in(_c(r, TOWNS))} should be thanked for clearing the {_c(r, WEEDS)} {_c(r, WEED_SITES)}, roots and all.", NOT_TOXIC),
    Frame("identity_mention", lambda r: f"{_cap(_c(r, PEOPLES)[0])} should be invited to the opening of the new community garden {_c(r, WEED_SITES)}, like everyone else in {_c(r, TOWN_NAMES)}, brass band and all.", NOT_TOXIC),
)
