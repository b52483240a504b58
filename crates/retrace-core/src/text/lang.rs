//! Language data (English): word lists the engine reads text with, kept
//! in one place so that another language is one more table, not edits
//! across detectors.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        assert_eq!(wire_form("pct"), Some("percent"));
        assert_eq!(wire_form("mln"), Some("million"));
        assert_eq!(wire_form("percent"), None);
    }
}
