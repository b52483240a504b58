//! Reading Reuters-21578 articles by NEWID (the SGML files as distributed),
//! for evaluation sets that name their sources instead of copying them.
//!
//! An article's text is its title, a blank line, then its body exactly as
//! the collection has it (wire formatting, `&\t` paragraph markers and
//! hard-wrapped lines kept; the trailing "Reuter" sign-off and control
//! characters removed), with HTML entities decoded: the same text as
//! `scripts/reuters.py show NEWID`.

use std::collections::HashMap;
use std::path::Path;

use retrace_core::{Error, Result};

/// The articles of a Reuters-21578 directory that have a title and a body.
#[derive(Debug, Default)]
pub struct Reuters {
    articles: HashMap<u32, String>,
}

impl Reuters {
    /// Reads every `*.sgm` file of `dir`.
    pub fn open(dir: &Path) -> Result<Reuters> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| Error::Read {
                path: dir.to_path_buf(),
                source: e,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
            .collect();
        names.sort();
        let mut articles = HashMap::new();
        for path in names {
            let bytes = std::fs::read(&path).map_err(|e| Error::Read {
                path: path.clone(),
                source: e,
            })?;
            // the collection is Latin-1
            let raw: String = bytes.iter().map(|&b| b as char).collect();
            for art in raw.split("<REUTERS ").skip(1) {
                let Some(id) = between(art, "NEWID=\"", "\"").and_then(|s| s.parse().ok()) else {
                    continue;
                };
                let (Some(title), Some(body)) = (
                    between(art, "<TITLE>", "</TITLE>"),
                    between(art, "<BODY>", "</BODY>"),
                ) else {
                    continue;
                };
                let body = body.trim_end();
                let body = body.strip_suffix("&#3;").unwrap_or(body).trim_end();
                let body = body.strip_suffix("Reuter").unwrap_or(body);
                let body = unescape(body.trim()).replace('\u{3}', "");
                articles.insert(id, format!("{}\n\n{}", unescape(title.trim()), body.trim()));
            }
        }
        if articles.is_empty() {
            return Err(Error::Format(format!(
                "{}: no Reuters-21578 articles (*.sgm) found",
                dir.display()
            )));
        }
        Ok(Reuters { articles })
    }

    /// The article's text, if the collection has it.
    pub fn article(&self, newid: u32) -> Option<&str> {
        self.articles.get(&newid).map(String::as_str)
    }

    /// Number of articles read.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether none was read.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

/// Decodes the entities the collection uses: `&lt;` `&gt;` `&amp;` `&quot;`
/// `&apos;` and numeric `&#N;`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 8);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix('#')
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_articles() {
        assert_eq!(
            unescape("a &lt;b&gt; &amp; c &#5;x &\tpara"),
            "a <b> & c \u{5}x &\tpara"
        );
        let dir = std::env::temp_dir().join(format!("retrace-reuters-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("reut2-000.sgm"),
            "<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<TEXT>&#2;\n<TITLE>GRAIN &amp; OIL</TITLE>\n\
             <BODY>Prices rose\n&\tsharply, traders said.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n\
             <REUTERS NEWID=\"8\"><TEXT><TITLE>NO BODY</TITLE></TEXT></REUTERS>",
        )
        .unwrap();
        let r = Reuters::open(&dir).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(
            r.article(7),
            Some("GRAIN & OIL\n\nPrices rose\n&\tsharply, traders said.")
        );
        assert_eq!(r.article(8), None);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Reuters::open(&dir).is_err());
    }
}
