"""Classes of interchangeable identity words for counterfactual data augmentation.

Why: replacing an identity word in a training comment with another word of the same class, and keeping the label,
teaches the model that which group is named does not by itself make a comment toxic or harmless (Dixon et al.
2018; Zmigrod et al. 2019). Each class holds single lower-case words that fill the same grammatical slot (same part
of speech, same number, same kind of identity), so any member can stand in for any other.

The classes were drawn from ``civility/scoring/identity_terms.txt`` (itself written blind) by a helper that saw no
evaluation data, template or result; it read only that list and the opening lines of two training modules for
style. Words whose everyday non-identity reading is common ("straight", "old", "young", "native", "minority",
"polish", "senior", "mute", ...) and slurs or dated, disparaging terms are left out; no word belongs to more than one class.
"""

from __future__ import annotations

SWAP_CLASSES: tuple[tuple[str, ...], ...] = (
    # Religion and belief: adjectives (many double as singular nouns: "a muslim", "a catholic").
    (
        "muslim", "christian", "jewish", "hindu", "sikh", "buddhist", "catholic", "protestant", "mormon",
        "evangelical", "atheist", "agnostic", "jain", "zoroastrian", "taoist", "pagan", "baptist", "lutheran",
        "methodist", "presbyterian", "anglican", "quaker", "mennonite", "rastafarian", "wiccan", "bahai",
    ),
    # Religion and belief: plural nouns.
    (
        "muslims", "christians", "jews", "hindus", "sikhs", "buddhists", "catholics", "protestants", "mormons",
        "evangelicals", "atheists", "agnostics", "jains", "zoroastrians", "taoists", "pagans", "baptists",
        "lutherans", "methodists", "presbyterians", "anglicans", "quakers", "mennonites", "rastafarians",
        "wiccans", "bahais",
    ),
    # Religions and beliefs as abstract nouns.
    (
        "islam", "christianity", "judaism", "hinduism", "sikhism", "buddhism", "catholicism", "mormonism",
        "jainism", "taoism", "paganism", "atheism",
    ),
    # Religious leaders: singular and plural nouns.
    ("priest", "imam", "rabbi", "pastor", "mullah", "monk"),
    ("priests", "imams", "rabbis", "pastors", "mullahs", "monks"),
    # Places of worship: singular and plural nouns.
    ("church", "mosque", "synagogue", "gurdwara"),
    ("churches", "mosques", "synagogues"),
    # Scriptures.
    ("bible", "quran", "koran", "torah"),
    # Religious head coverings.
    ("hijab", "turban", "kippah", "yarmulke"),
    # Race, ethnicity and skin colour: adjectives.
    (
        "black", "white", "asian", "hispanic", "latino", "latinx", "african-american", "asian-american",
        "arab-american", "afro-caribbean", "caucasian", "arab", "african", "european", "biracial", "multiracial",
        "mixed-race", "indigenous", "aboriginal",
    ),
    # Race, ethnicity and skin colour: plural nouns.
    (
        "blacks", "whites", "asians", "hispanics", "latinos", "african-americans", "asian-americans",
        "arab-americans", "afro-caribbeans", "caucasians", "arabs", "africans", "europeans",
    ),
    # Sexual orientation: adjectives.
    (
        "gay", "lesbian", "bisexual", "queer", "homosexual", "heterosexual", "asexual", "pansexual", "demisexual",
        "aromantic",
    ),
    # Sexual orientation: plural nouns.
    ("gays", "lesbians", "bisexuals", "homosexuals", "heterosexuals", "asexuals", "pansexuals"),
    # Sexual orientation: abstract nouns.
    ("homosexuality", "heterosexuality", "bisexuality", "asexuality", "lesbianism"),
    # Gender identity: adjectives.
    (
        "transgender", "cisgender", "trans", "cis", "nonbinary", "non-binary", "genderqueer", "genderfluid",
        "gender-fluid", "agender", "bigender", "two-spirit", "gender-nonconforming", "gender-diverse",
    ),
    # Sex: adjectives.
    ("female", "male", "intersex"),
    # Gender: singular nouns.
    ("woman", "man", "girl", "boy", "lady", "gentleman", "gal", "guy", "transwoman", "transman"),
    # Gender: plural nouns.
    (
        "women", "men", "girls", "boys", "ladies", "gentlemen", "gals", "guys", "females", "males",
        "transwomen", "transmen",
    ),
    # Parents: singular and plural nouns.
    ("mother", "father", "mom", "dad", "mum"),
    ("mothers", "fathers", "moms", "dads", "mums"),
    # Grandparents: singular and plural nouns.
    ("grandmother", "grandfather", "grandma", "grandpa"),
    ("grandmothers", "grandfathers", "grandmas", "grandpas"),
    # Disability and health conditions: adjectives.
    (
        "blind", "deaf", "disabled", "deafblind", "deaf-blind", "visually-impaired", "hearing-impaired",
        "hard-of-hearing", "autistic", "neurodivergent", "neurotypical", "able-bodied", "dyslexic", "paraplegic",
        "quadriplegic", "tetraplegic", "epileptic", "diabetic", "schizophrenic", "bipolar",
    ),
    # Disability and health conditions: plural nouns.
    (
        "amputees", "paraplegics", "quadriplegics", "tetraplegics", "autistics", "dyslexics", "epileptics",
        "diabetics", "schizophrenics",
    ),
    # Disability and health conditions: abstract nouns.
    (
        "blindness", "deafness", "autism", "dyslexia", "dyspraxia", "dyscalculia", "epilepsy", "schizophrenia",
        "dwarfism", "adhd",
    ),
    # Age: adjectives.
    ("elderly", "middle-aged", "teenage", "adolescent", "preteen", "pre-teen"),
    # Age groups: plural nouns.
    (
        "teenagers", "teens", "adolescents", "youngsters", "youths", "adults", "pensioners", "retirees",
        "octogenarians", "centenarians", "preteens", "tweens",
    ),
    # Generations: singular nouns that also serve as adjectives ("millennial voters").
    ("boomer", "baby-boomer", "millennial", "xennial", "gen-xer", "gen-zer", "zoomer"),
    # Generations: plural nouns.
    ("boomers", "baby-boomers", "millennials", "xennials", "gen-xers", "gen-zers", "zoomers"),
    # Nationality: adjectives.
    (
        "american", "canadian", "british", "scottish", "irish", "welsh", "french", "german", "italian",
        "spanish", "portuguese", "dutch", "swedish", "russian", "ukrainian", "greek", "turkish", "mexican",
        "brazilian", "cuban", "chinese", "japanese", "korean", "indian", "pakistani", "iranian", "iraqi",
        "syrian", "israeli", "palestinian", "egyptian", "nigerian", "kenyan", "somali", "australian", "filipino",
        "vietnamese",
    ),
    # Nationality: plural nouns.
    (
        "americans", "canadians", "brits", "scots", "germans", "italians", "spaniards", "swedes", "danes",
        "russians", "ukrainians", "greeks", "turks", "mexicans", "brazilians", "cubans", "koreans", "indians",
        "pakistanis", "iranians", "iraqis", "syrians", "israelis", "palestinians", "egyptians", "nigerians",
        "kenyans", "somalis", "australians", "filipinos", "afghans",
    ),
    # Nationality: singular and plural "-man" nouns.
    ("englishman", "frenchman", "irishman", "scotsman", "welshman", "dutchman"),
    ("englishmen", "frenchmen", "irishmen", "scotsmen", "welshmen", "dutchmen"),
    # Migration status: singular nouns.
    (
        "immigrant", "refugee", "migrant", "emigrant", "expat", "expatriate", "foreigner", "newcomer",
        "asylum-seeker", "non-citizen", "noncitizen", "deportee",
    ),
    # Migration status: plural nouns.
    (
        "immigrants", "refugees", "migrants", "emigrants", "expats", "expatriates", "foreigners", "newcomers",
        "asylum-seekers", "non-citizens", "noncitizens", "deportees",
    ),
    # Migration status: adjectives.
    ("undocumented", "foreign-born", "stateless", "first-generation"),
    # Social status: adjectives.
    ("homeless", "unhoused", "low-income", "working-class"),
)
