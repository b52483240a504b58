//! Language data (English): word lists the engine reads text with, kept
//! in one place so that another language is one more table, not edits
//! across detectors.
//!
//! Sections: wire copy (abbreviations, currency words, sign-offs);
//! quotations (speech verbs around a quotation, label markers);
//! attributions and names (speech verbs after a name, crediting phrases,
//! titles, generic words, months and days, name particles, adjective
//! endings, aliases); numbers (words that are no figure, scale words,
//! percent marks); and hashed membership tests for the longer lists (`is_title`,
//! `is_speech_verb`, ...). The evidence detectors ([`crate::evidence`]) read them.

// --------------------------------------------------------------- wire copy

/// Wire-copy abbreviations and the words they stand for, as news agencies
/// write them ("22.2 pct", "15 mln dlrs", "40 cts", "5.0 billion stg").
pub const WIRE_FORMS: &[(&str, &str)] = &[
    ("pct", "percent"),
    ("mln", "million"),
    ("mn", "million"),
    ("bln", "billion"),
    ("bn", "billion"),
    ("dlrs", "dollars"),
    ("dlr", "dollar"),
    ("cts", "cents"),
    ("stg", "sterling"),
    ("yr", "year"),
    ("yrs", "years"),
    ("qtr", "quarter"),
    ("govt", "government"),
];

/// The full word for a wire abbreviation (`"pct"` -> `"percent"`).
pub fn wire_form(word: &str) -> Option<&'static str> {
    WIRE_FORMS
        .iter()
        .find(|(short, _)| *short == word)
        .map(|(_, full)| *full)
}

/// Currency words that a rewrite may turn into a symbol or drop ("15
/// dlrs" = "$15"): left out when two renderings of a quotation are
/// compared.
pub const CURRENCY_WORDS: &[&str] = &[
    "dlrs", "dlr", "dollar", "dollars", "usd", "stg", "sterling", "pound", "pounds", "yen", "euro",
    "euros",
];

/// Agency sign-offs that end wire copy: not content of the article.
pub const SIGN_OFFS: &[&str] = &["reuter", "reuters", "ap", "afp", "upi"];

// -------------------------------------------------------------- quotations

/// Verbs that introduce or frame speech around a quotation.
pub const QUOTE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "called",
    "calls",
    "call",
    "calling",
    "described",
    "describes",
    "describing",
    "warned",
    "warns",
    "urged",
    "urges",
    "insisted",
    "argued",
    "asked",
    "promised",
    "vowed",
    "wrote",
    "writes",
    "writing",
    "stated",
    "declared",
    "explained",
    "noted",
    "admitted",
    "claimed",
    "replied",
    "tweeted",
    "posted",
    "announced",
    "recalled",
    "continued",
    "pledged",
    "acknowledged",
    "conceded",
    "cautioned",
    "stressed",
];

/// Words that mark a quoted phrase as a label, not speech: the so-called
/// "green corridor", a film titled "Blue Harbor".
pub const LABEL_MARKERS: &[&str] = &[
    "so-called",
    "so called",
    "dubbed",
    "nicknamed",
    "titled",
    "entitled",
    "known as",
    "branded",
];

// ------------------------------------------------- attributions and names

/// Verbs that credit a named source right after its name ("Reuters
/// reported", "Smith said").
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "reports",
    "stated",
    "announced",
    "wrote",
    "confirmed",
    "added",
    "noted",
    "explained",
    "tweeted",
    "posted",
];

/// Words that qualify a title ("Prime Minister", "Vice President",
/// "Finance Minister"): at the head of a name, not part of it.
pub const TITLE_QUALIFIERS: &[&str] = &[
    "prime",
    "vice",
    "deputy",
    "acting",
    "former",
    "foreign",
    "finance",
    "trade",
    "interior",
    "defence",
    "defense",
    "agriculture",
    "energy",
    "treasury",
    "commerce",
    "assistant",
    "chief",
];

/// Titles and roles that stand before a name ("Mayor Ruth Diaz", "Dr
/// Lee"): not part of the name itself.
pub const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "mayor",
    "president",
    "minister",
    "senator",
    "sen",
    "rep",
    "governor",
    "gov",
    "councilman",
    "councilwoman",
    "chief",
    "executive",
    "ceo",
    "director",
    "spokesman",
    "spokeswoman",
    "secretary",
    "judge",
    "general",
    "gen",
    "officer",
    "inspector",
    "professor",
    "chairman",
    "chairwoman",
    "king",
    "queen",
    "pope",
    "lord",
    "sir",
    "dame",
    "captain",
    "coach",
    "delegate",
    "ambassador",
    "envoy",
    "commissioner",
    "attorney",
];

/// Capitalised words that name no one in particular (pronouns,
/// determiners, generic sources such as "officials" or "police"): a run of
/// only these is no name.
pub const NOT_NAMES: &[&str] = &[
    "officials",
    "police",
    "analysts",
    "experts",
    "scientists",
    "researchers",
    "residents",
    "critics",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "i'll",
    "i'm",
    "i'd",
    "i've",
    "you",
    "tv",
    "authorities",
    "sources",
    "witnesses",
    "investigators",
    "doctors",
    "lawyers",
    "prosecutors",
    "reporters",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "many",
    "others",
    "company",
    "government",
    "ministry",
    "spokesperson",
    "statement",
    "study",
    "report",
    "data",
    "people",
    "everyone",
    "nobody",
    "someone",
    "who",
    "which",
    "what",
    "there",
    "here",
];

/// The months, in order (dates compared by [`date_word`]).
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The weekdays, in order.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A month or weekday word as (0 for a month, 1 for a weekday; its
/// number): "June" and "Jun" (`abbreviated` allowed) are (0, 5). "Sept" is
/// September.
pub fn date_word(word: &str, abbreviated: bool) -> Option<(u8, usize)> {
    // (every name and abbreviation is 3 to 9 letters: most words are out
    // before a comparison)
    if !(3..=9).contains(&word.len()) {
        return None;
    }
    if let Some(k) = MONTHS.iter().position(|m| *m == word) {
        return Some((0, k));
    }
    if let Some(k) = WEEKDAYS.iter().position(|d| *d == word) {
        return Some((1, k));
    }
    if !abbreviated || word.len() < 3 {
        return None;
    }
    if word == "sept" {
        return Some((0, 8));
    }
    (word.len() == 3)
        .then(|| MONTHS.iter().position(|m| m.starts_with(word)))
        .flatten()
        .map(|k| (0, k))
}

/// Whether a word is a month or weekday name, or a month's abbreviation
/// ("jan", "sept"): capitalised, but no name.
pub fn is_month_or_day(word: &str) -> bool {
    date_word(word, true).is_some()
}

/// Phrases that credit the name right after them ("told the Northern
/// Ledger", "according to Reuters"), longer forms before the shorter ones
/// they end with.
pub const ATTRIBUTION_LEADS: &[&str] = &[
    "told the",
    "told",
    "according to the",
    "according to",
    "reported by the",
    "reported by",
    "interview with the",
    "interview with",
    "said the",
    "quoted by the",
    "quoted by",
    "seen by the",
    "seen by",
    "obtained by the",
    "obtained by",
    "reviewed by the",
    "reviewed by",
    "speaking to the",
    "speaking to",
    "first reported by the",
    "first reported by",
    "citing the",
    "citing",
    "statement to the",
    "statement to",
    "comments to the",
    "comments to",
];

/// Verbs that credit a source sentence's claim to someone, named or not
/// ("Rogers said", "officials have said", "the company previously said",
/// "Anderson predicted", "he told reporters"): the attributions that a
/// rewrite stating the claim as a bare fact removes. Strict: only verbs
/// that report speech whatever follows them ("added" and "reported" also
/// mean "gained" and "posted" in wire copy and are left out).
pub const CLAIM_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "stated",
    "predicted",
    "predicts",
    "argued",
    "argues",
    "warned",
    "warns",
    "insisted",
    "insists",
    "explained",
    "explains",
    "contended",
    "asserted",
    "acknowledged",
    "conceded",
    "cautioned",
];

/// Words right before a claim verb that make it no attribution: "declined
/// to say", "would not say", "were told" (a passive: the sentence's subject
/// heard it).
pub const NOT_CLAIM_BEFORE: &[&str] = &[
    "to", "not", "never", "declined", "refused", "would", "could", "will", "may", "might", "can",
    "cannot", "should", "was", "were", "is", "are", "be", "been", "being",
];

/// Words any of which in a rewritten sentence means it still credits its
/// claim to someone ("according to", "in his view", "analysts expect",
/// "a spokesman", "she believes"): broad on purpose, since a finding on a
/// sentence that keeps its attribution in other words is the worse error.
/// Words that are also nouns or passives of other senses ("is expected
/// to", "the United States", "an emergency is declared") are left out.
pub const ATTRIBUTION_CUES: &[&str] = &[
    "said",
    "say",
    "says",
    "saying",
    "told",
    "tell",
    "tells",
    "telling",
    "stated",
    "according",
    "reported",
    "reports",
    "reporting",
    "announced",
    "announces",
    "added",
    "adds",
    "noted",
    "notes",
    "explained",
    "explains",
    "remarked",
    "remarks",
    "argued",
    "argues",
    "warned",
    "warns",
    "claimed",
    "claims",
    "insisted",
    "insists",
    "predicted",
    "predicts",
    "forecast",
    "forecasts",
    "expects",
    "expect",
    "believes",
    "believe",
    "thinks",
    "think",
    "view",
    "views",
    "sees",
    "see",
    "pointed",
    "observed",
    "commented",
    "acknowledged",
    "conceded",
    "emphasised",
    "emphasized",
    "stressed",
    "suggested",
    "suggests",
    "indicated",
    "indicates",
    "maintained",
    "maintains",
    "contended",
    "asserted",
    "disclosed",
    "revealed",
    "confirmed",
    "confirms",
    "cited",
    "citing",
    "quoted",
    "quoting",
    "source",
    "sources",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "statement",
    "interview",
    "wrote",
    "writes",
    "tweeted",
    "posted",
    "testified",
    "described",
    "describes",
    "accused",
    "admitted",
    "recalled",
    "hopes",
    "fears",
    "doubts",
    "doubted",
    "urged",
    "asked",
    "replied",
    "responded",
    "answered",
    "mentioned",
    "reiterated",
    "cautioned",
    "estimates",
    "reckons",
    "feels",
    "contends",
    "asserts",
    "assured",
    "informed",
    "briefed",
    "opinion",
    "calculated",
];

/// Lower-case particles inside a name between capitalised words ("Bank of
/// England", "Ursula von der Leyen"): part of the run, not keys of it.
pub const NAME_PARTICLES: &[&str] = &["of", "the", "de", "von", "van", "al", "del"];

/// Endings of a country or people's adjective ("Japanese", "Kenyan",
/// "French", "Iraqi").
pub const DEMONYM_SUFFIXES: &[&str] = &["ese", "ian", "ish", "ean", "an", "ch", "i"];

/// Endings after a shared stem that make two name words one name: a
/// people's or a place's ("Britain" / "British", "Russia" / "Russian",
/// "China" / "Chinese"), a plural.
pub const NAME_ENDINGS: &[&str] = &[
    "", "s", "es", "a", "ia", "ian", "ians", "an", "ans", "ean", "ese", "ish", "ain", "y", "i",
    "ic", "ch", "er", "ers", "ern",
];

/// Words that abbreviate a name word ("St" for "Saint"), with it.
pub const NAME_ABBREVIATIONS: &[(&str, &str)] = &[
    ("st", "saint"),
    ("st", "street"),
    ("mt", "mount"),
    ("ft", "fort"),
    ("jr", "junior"),
    ("sr", "senior"),
    ("ave", "avenue"),
    ("rd", "road"),
    ("blvd", "boulevard"),
    ("co", "company"),
    ("corp", "corporation"),
    ("inc", "incorporated"),
    ("intl", "international"),
    ("natl", "national"),
    ("assn", "association"),
    ("dept", "department"),
    ("univ", "university"),
    ("bros", "brothers"),
    ("gen", "general"),
];

/// The legal forms after a company's name ("Conrac Corp", "Inco Ltd"):
/// they say what it is, not which one.
pub const COMPANY_SUFFIXES: &[&str] = &[
    "co",
    "cos",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "ag",
    "sa",
    "nv",
    "bv",
    "spa",
    "gmbh",
    "company",
];

/// Names of one country or body that rewrites use interchangeably.
pub const ALIASES: &[&[&str]] = &[
    &[
        "us",
        "usa",
        "america",
        "united states",
        "united states of america",
        // a capital for its country's government, as news writes
        "washington",
    ],
    &["uk", "britain", "great britain", "united kingdom", "london"],
    &["eu", "european union"],
    &["ec", "european community", "brussels"],
    &["un", "united nations"],
    &["soviet union", "ussr", "soviets", "moscow", "kremlin"],
    &["japan", "tokyo"],
    &["china", "beijing", "peking"],
    &["west germany", "bonn"],
    &["france", "paris"],
    &["canada", "ottawa"],
    &["brazil", "brasilia"],
    &["australia", "canberra"],
    &["india", "new delhi"],
    &["iran", "tehran"],
    &["iraq", "baghdad"],
    &["egypt", "cairo"],
    &["italy", "rome"],
    &["spain", "madrid"],
    &["mexico", "mexico city"],
    &["argentina", "buenos aires"],
    &["philippines", "manila"],
    &["indonesia", "jakarta"],
    &["taiwan", "taipei"],
    &["israel", "jerusalem"],
    &["netherlands", "holland"],
    &["uae", "emirates", "united arab emirates"],
    &["russia", "russian federation"],
    &["czech republic", "czechia"],
    &["myanmar", "burma"],
    &["turkey", "turkiye", "t\u{fc}rkiye"],
    &["ivory coast", "cote d'ivoire", "c\u{f4}te d'ivoire"],
    &["south korea", "republic of korea", "seoul"],
    &["north korea", "dprk"],
];

// ----------------------------------------------------------------- numbers

/// Number words not read as a figure on their own: "one" is mostly a
/// pronoun ("the next one"), "a dozen" is vague, and "hundred" counts only
/// as a scale after another number ("two hundred").
pub const NOT_FIGURES: &[&str] = &["one", "dozen", "hundred"];

/// Scale words folded into the number before them, with their factor
/// ("3 million", "15 mln", "two decades" = twenty years).
pub const SCALE_WORDS: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("m", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("bn", 1e9),
    ("bln", 1e9),
    ("trillion", 1e12),
    ("hundred", 100.0),
    ("decade", 10.0),
    ("decades", 10.0),
];

/// What joins the two ends of a range that states its scale once
/// ("between 18 and 22 billion", "5 to 7 mln").
pub const RANGE_WORDS: &[&str] = &["and", "to", "or", "-", "\u{2013}"];

/// The factor of a scale word in any case (`"million"`, `"MLN"` -> 1e6),
/// or `None`. (An ASCII word is compared without a lower-cased copy: the
/// listed words are ASCII.)
pub fn scale_word(word: &str) -> Option<f64> {
    let find = |word: &str| {
        SCALE_WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|(_, f)| *f)
    };
    if word.is_ascii() {
        find(word)
    } else {
        find(&word.to_lowercase())
    }
}

/// What marks a number as a percentage right after it ("22 %", "22
/// percent", "22 per cent", the wire's "22 pct").
pub const PERCENT_MARKS: &[&str] = &["%", "percent", "per cent", "pct"];

// ------------------------------------------------------------ membership

/// A membership test for a list read for many words per text: a hash set
/// built from the list on first use (a linear scan of the longer lists
/// showed in the evidence stage's profile).
macro_rules! listed {
    ($name:ident, $list:ident) => {
        #[doc = concat!("Whether `w` is in [`", stringify!($list), "`].")]
        pub fn $name(w: &str) -> bool {
            static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
                std::sync::OnceLock::new();
            SET.get_or_init(|| $list.iter().copied().collect())
                .contains(w)
        }
    };
}

listed!(is_title, TITLES);
listed!(is_title_qualifier, TITLE_QUALIFIERS);
listed!(is_not_name, NOT_NAMES);
listed!(is_name_particle, NAME_PARTICLES);
listed!(is_company_suffix, COMPANY_SUFFIXES);
listed!(is_speech_verb, SPEECH_VERBS);
listed!(is_attribution_cue, ATTRIBUTION_CUES);
listed!(is_claim_verb, CLAIM_VERBS);
listed!(is_quote_verb, QUOTE_VERBS);
listed!(is_currency_word, CURRENCY_WORDS);

/// The groups of [`ALIASES`] that list `name` (keys joined by spaces,
/// without periods), as bits: two names are aliases where their bits meet.
pub fn alias_groups(name: &str) -> u64 {
    static MAP: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u64>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = rustc_hash::FxHashMap::default();
        for (g, names) in ALIASES.iter().enumerate().take(64) {
            for n in names.iter() {
                *map.entry(*n).or_insert(0) |= 1u64 << g;
            }
        }
        map
    })
    .get(name)
    .copied()
    .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_groups_are_bits_of_the_listed_groups() {
        // (one bit per group: the list must fit in 64)
        assert!(ALIASES.len() <= 64);
        assert_ne!(alias_groups("us") & alias_groups("united states"), 0);
        assert_eq!(alias_groups("us") & alias_groups("no such name"), 0);
    }

    #[test]
    fn wire_forms() {
        assert_eq!(wire_form("pct"), Some("percent"));
        assert_eq!(wire_form("mln"), Some("million"));
        assert_eq!(wire_form("percent"), None);
    }

    #[test]
    fn scale_words() {
        assert_eq!(scale_word("mln"), Some(1e6));
        assert_eq!(scale_word("decades"), Some(10.0));
        assert_eq!(scale_word("dozen"), None);
        assert_eq!(scale_word("bn"), Some(1e9));
        assert_eq!(scale_word("MLN"), Some(1e6));
        assert_eq!(scale_word("Million"), Some(1e6));
        assert_eq!(scale_word("\u{dc}nit"), None);
    }
}
