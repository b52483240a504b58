//! Reading a PAN text-alignment corpus.

use super::xml::parse_pan_xml;
use super::Case;
use retrace_core::error::{Error, Result};
use std::path::{Path, PathBuf};

/// One document pair of the corpus with its gold cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanPair {
    /// The obfuscation-type folder holding the pair (e.g.
    /// `03-random-obfuscation`).
    pub kind: String,
    /// File name of the suspicious document (in `susp/`).
    pub susp: String,
    /// File name of the source document (in `src/`).
    pub src: String,
    /// The gold cases (`<feature name="plagiarism">`), sorted; empty for
    /// pairs without reuse.
    pub gold: Vec<Case>,
}

impl PanPair {
    /// Path of the suspicious document in corpus `dir`.
    pub fn susp_path(&self, dir: &Path) -> PathBuf {
        dir.join("susp").join(&self.susp)
    }

    /// Path of the source document in corpus `dir`.
    pub fn src_path(&self, dir: &Path) -> PathBuf {
        dir.join("src").join(&self.src)
    }

    /// Name of the pair's XML file (gold or detections):
    /// `suspicious-documentXXXXX-source-documentYYYYY.xml`.
    pub fn xml_name(&self) -> String {
        pair_file_name(&self.susp, &self.src)
    }
}

/// The XML file name PAN uses for a pair: both file names without `.txt`,
/// joined by `-`, plus `.xml`.
pub fn pair_file_name(susp: &str, src: &str) -> String {
    let stem = |s: &str| s.strip_suffix(".txt").unwrap_or(s).to_string();
    format!("{}-{}.xml", stem(susp), stem(src))
}

fn read_string(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes)
        .map_err(|_| Error::Format(format!("{}: not valid UTF-8", path.display())))
}

/// Reads a PAN text-alignment corpus: all pairs of every type folder, with
/// their gold cases.
///
/// Layout: `dir/src/` (source documents), `dir/susp/` (suspicious
/// documents), and one folder per obfuscation type — any subfolder holding
/// a `pairs` file, whose lines read `suspicious-documentXXXXX.txt
/// source-documentYYYYY.txt`, next to one gold XML per pair (see
/// [`pair_file_name`]). Type folders come in name order, pairs in file
/// order. Only features named `plagiarism` are gold cases.
///
/// Errors: [`Error::Read`] for a file or folder that cannot be read;
/// [`Error::Format`] when the layout is wrong (no type folder, no `src/` or
/// `susp/`, a malformed `pairs` line, a document missing, a gold file that
/// names another document).
pub fn read_corpus(dir: &Path) -> Result<Vec<PanPair>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut kinds = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() && path.join("pairs").is_file() {
            kinds.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    kinds.sort();
    let layout = "expected a PAN text-alignment corpus: src/, susp/ and one folder per \
                  obfuscation type (e.g. 02-no-obfuscation/) holding a `pairs` file and \
                  one XML per pair";
    if kinds.is_empty() {
        return Err(Error::Format(format!(
            "{}: no type folder (a subfolder with a `pairs` file); {layout}",
            dir.display()
        )));
    }
    for side in ["src", "susp"] {
        if !dir.join(side).is_dir() {
            return Err(Error::Format(format!(
                "{}: no {side}/ folder; {layout}",
                dir.display()
            )));
        }
    }

    let mut pairs = Vec::new();
    for kind in kinds {
        let kdir = dir.join(&kind);
        let list_path = kdir.join("pairs");
        let list = read_string(&list_path)?;
        for (n, line) in list.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [susp, src] = fields[..] else {
                return Err(Error::Format(format!(
                    "{}:{}: expected two file names \
                     (suspicious-documentXXXXX.txt source-documentYYYYY.txt), found {line:?}",
                    list_path.display(),
                    n + 1
                )));
            };
            let mut pair = PanPair {
                kind: kind.clone(),
                susp: susp.to_string(),
                src: src.to_string(),
                gold: Vec::new(),
            };
            for (path, side) in [(pair.susp_path(dir), "susp"), (pair.src_path(dir), "src")] {
                if !path.is_file() {
                    return Err(Error::Format(format!(
                        "{}:{}: {} is not in {side}/ ({} missing)",
                        list_path.display(),
                        n + 1,
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        path.display()
                    )));
                }
            }
            let xml_path = kdir.join(pair.xml_name());
            let doc = parse_pan_xml(&read_string(&xml_path)?)
                .map_err(|e| Error::Format(format!("{}: {e}", xml_path.display())))?;
            if !doc.reference.is_empty() && doc.reference != pair.susp {
                return Err(Error::Format(format!(
                    "{}: document reference {:?} does not match the pair's {:?}",
                    xml_path.display(),
                    doc.reference,
                    pair.susp
                )));
            }
            for f in doc.features {
                if f.name != "plagiarism" {
                    continue;
                }
                if f.source_reference != pair.src {
                    return Err(Error::Format(format!(
                        "{}: case names source {:?}, but the pair's source is {:?}",
                        xml_path.display(),
                        f.source_reference,
                        pair.src
                    )));
                }
                pair.gold.push(f.case);
            }
            pair.gold.sort_unstable();
            pairs.push(pair);
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn temp_dir(tag: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("retrace-eval-{tag}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: PathBuf, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// A two-type corpus: one pair without reuse, two pairs with cases.
    fn tiny_corpus(dir: &Path) {
        for s in [
            "suspicious-document00001.txt",
            "suspicious-document00002.txt",
        ] {
            write(dir.join("susp").join(s), "suspicious text");
        }
        for s in ["source-document00001.txt", "source-document00002.txt"] {
            write(dir.join("src").join(s), "source text");
        }
        write(
            dir.join("01-no-plagiarism/pairs"),
            "suspicious-document00001.txt source-document00002.txt\n",
        );
        write(
            dir.join("01-no-plagiarism/suspicious-document00001-source-document00002.xml"),
            "<document reference=\"suspicious-document00001.txt\">\n\
             <feature name=\"about\" authors=\"x\"/>\n</document>\n",
        );
        write(
            dir.join("02-no-obfuscation/pairs"),
            "suspicious-document00001.txt source-document00001.txt\n\
             suspicious-document00002.txt source-document00002.txt\n\n",
        );
        write(
            dir.join("02-no-obfuscation/suspicious-document00001-source-document00001.xml"),
            "<document reference=\"suspicious-document00001.txt\">\n\
             <feature name=\"plagiarism\" obfuscation=\"none\" this_offset=\"10\" this_length=\"5\" \
             source_reference=\"source-document00001.txt\" source_offset=\"20\" source_length=\"6\"/>\n\
             <feature name=\"plagiarism\" obfuscation=\"none\" this_offset=\"0\" this_length=\"3\" \
             source_reference=\"source-document00001.txt\" source_offset=\"1\" source_length=\"3\"/>\n\
             </document>\n",
        );
        write(
            dir.join("02-no-obfuscation/suspicious-document00002-source-document00002.xml"),
            "<document reference=\"suspicious-document00002.txt\">\n\
             <feature name=\"md5\" value=\"00\"/>\n\
             <feature name=\"plagiarism\" this_offset=\"1\" this_length=\"2\" \
             source_reference=\"source-document00002.txt\" source_offset=\"3\" source_length=\"4\"/>\n\
             </document>\n",
        );
        // Not a type folder: no `pairs` file.
        fs::create_dir_all(dir.join("notes")).unwrap();
    }

    #[test]
    fn eval_read_tiny_corpus() {
        let dir = temp_dir("tiny");
        tiny_corpus(&dir);
        let pairs = read_corpus(&dir).unwrap();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[0].kind, "01-no-plagiarism");
        assert!(pairs[0].gold.is_empty());
        assert_eq!(pairs[1].kind, "02-no-obfuscation");
        assert_eq!(pairs[1].susp, "suspicious-document00001.txt");
        assert_eq!(pairs[1].src, "source-document00001.txt");
        assert_eq!(
            pairs[1].gold,
            vec![Case::new((0, 3), (1, 4)), Case::new((10, 15), (20, 26))]
        );
        assert_eq!(pairs[2].gold, vec![Case::new((1, 3), (3, 7))]);
        assert_eq!(
            pairs[2].susp_path(&dir),
            dir.join("susp/suspicious-document00002.txt")
        );

        // Wrong layouts give clear errors.
        fs::remove_file(
            dir.join("02-no-obfuscation/suspicious-document00002-source-document00002.xml"),
        )
        .unwrap();
        let err = read_corpus(&dir).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err}");
        write(dir.join("01-no-plagiarism/pairs"), "just-one-name.txt\n");
        let err = read_corpus(&dir).unwrap_err().to_string();
        assert!(err.contains("pairs:1: expected two file names"), "{err}");
        fs::remove_dir_all(&dir).unwrap();

        let empty = temp_dir("empty");
        let err = read_corpus(&empty).unwrap_err().to_string();
        assert!(err.contains("no type folder"), "{err}");
        fs::remove_dir_all(&empty).unwrap();
        assert!(matches!(
            read_corpus(&empty).unwrap_err(),
            Error::Read { .. }
        ));
    }

    #[test]
    fn eval_read_corpus_rejects_mismatched_source() {
        let dir = temp_dir("mismatch");
        tiny_corpus(&dir);
        write(
            dir.join("02-no-obfuscation/suspicious-document00002-source-document00002.xml"),
            "<document reference=\"suspicious-document00002.txt\">\n\
             <feature name=\"plagiarism\" this_offset=\"1\" this_length=\"2\" \
             source_reference=\"source-document00009.txt\" source_offset=\"3\" source_length=\"4\"/>\n\
             </document>\n",
        );
        let err = read_corpus(&dir).unwrap_err().to_string();
        assert!(err.contains("source-document00009.txt"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    fn count_lines(path: &Path) -> usize {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
    }

    #[test]
    #[ignore = "needs the PAN 2013 corpus at /work/shared/data/pan13"]
    fn eval_read_pan13() {
        for part in ["train", "test"] {
            let dir = Path::new("/work/shared/data/pan13").join(part);
            if !dir.is_dir() {
                eprintln!("skipping: {} not found", dir.display());
                continue;
            }
            check_pan13(&dir);
        }
    }

    fn check_pan13(dir: &Path) {
        let pairs = read_corpus(dir).unwrap();
        assert_eq!(pairs.len(), 5185);
        assert_eq!(pairs.len(), count_lines(&dir.join("pairs")));
        let mut kinds: Vec<&str> = pairs.iter().map(|p| p.kind.as_str()).collect();
        kinds.dedup();
        assert_eq!(kinds.len(), 5, "{}: {kinds:?}", dir.display());
        for kind in kinds {
            let n = pairs.iter().filter(|p| p.kind == kind).count();
            assert_eq!(n, count_lines(&dir.join(kind).join("pairs")), "{kind}");
        }
        assert!(pairs
            .iter()
            .filter(|p| p.kind.contains("no-plagiarism"))
            .all(|p| p.gold.is_empty()));
        let cases: usize = pairs.iter().map(|p| p.gold.len()).sum();
        assert!(cases > 3000, "{cases} gold cases");
        // Gold against itself scores perfectly.
        let sets: Vec<(&[Case], &[Case])> =
            pairs.iter().map(|p| (&p.gold[..], &p.gold[..])).collect();
        let m = crate::measures(&sets);
        assert_eq!(m.cases, cases);
        assert!((m.plagdet - 1.0).abs() < 1e-12, "{m:?}");
    }
}
