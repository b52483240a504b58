//! Storage failures, kept in `cargo test` (scripts/crash_harness.py runs
//! them at scale, with seeded SIGKILLs, a full disk and a second writer):
//! an index this process may not write (a read-only mount, files of another
//! user) is still read by `stats` and `check`, and `index` refuses it with
//! the real cause, not as "another process is writing".

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("retrace")
}

/// How to run a command against `ix` read-only: as root (whom permissions
/// do not stop), in a private mount namespace where `ro` is a read-only
/// bind mount of `ix` (nothing to undo afterwards); otherwise on `ix` itself
/// with every file and directory made read-only. `None` where neither
/// works.
enum ReadOnly {
    Namespace { ix: PathBuf, ro: PathBuf },
    Permissions { ix: PathBuf },
}

impl ReadOnly {
    fn new(ix: &Path, root: &Path) -> Option<ReadOnly> {
        let probe = root.join("uid-probe");
        std::fs::write(&probe, "").unwrap();
        let is_root = std::fs::metadata(&probe).unwrap().uid() == 0;
        if !is_root {
            set_readonly(ix, true);
            return Some(ReadOnly::Permissions {
                ix: ix.to_path_buf(),
            });
        }
        let ro = root.join("ro");
        std::fs::create_dir_all(&ro).unwrap();
        let me = ReadOnly::Namespace {
            ix: ix.to_path_buf(),
            ro,
        };
        // the mount must work and refuse writes
        let ok = me.command("touch").arg(me.dir().join("probe")).output();
        match ok {
            Ok(o)
                if !o.status.success()
                    && String::from_utf8_lossy(&o.stderr).contains("Read-only") =>
            {
                Some(me)
            }
            other => {
                eprintln!("skipped: no read-only bind mount here ({other:?})");
                None
            }
        }
    }

    /// The index path the commands see.
    fn dir(&self) -> PathBuf {
        match self {
            ReadOnly::Namespace { ro, .. } => ro.clone(),
            ReadOnly::Permissions { ix } => ix.clone(),
        }
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        match self {
            ReadOnly::Namespace { ix, ro } => {
                let mut c = Command::new("unshare");
                c.args([
                    "-m",
                    "sh",
                    "-c",
                    r#"mount --bind "$0" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@""#,
                ])
                .arg(ix)
                .arg(ro)
                .arg(program);
                c
            }
            ReadOnly::Permissions { .. } => Command::new(program),
        }
    }

    fn retrace(&self) -> Command {
        self.command(bin())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if let ReadOnly::Permissions { ix } = self {
            set_readonly(ix, false);
        }
    }
}

fn set_readonly(dir: &Path, ro: bool) {
    for e in walk(dir) {
        let mut p = std::fs::metadata(&e).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        p.set_readonly(ro);
        std::fs::set_permissions(&e, p).unwrap();
    }
}

/// `dir` and everything under it, directories after their contents.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.is_dir() {
        for e in std::fs::read_dir(dir).unwrap() {
            out.extend(walk(&e.unwrap().path()));
        }
    }
    out.push(dir.to_path_buf());
    out
}

#[test]
fn an_index_that_cannot_be_written_is_read_and_refuses_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let ix = root.join("ix");
    let article = example("article.txt");
    Command::new(bin())
        .args(["index", "--lexical-only", "--index"])
        .arg(&ix)
        .arg(&article)
        .arg(example("unrelated.txt"))
        .assert()
        .success();
    let Some(ro) = ReadOnly::new(&ix, root) else {
        return;
    };
    let out = ro
        .retrace()
        .args(["stats", "--json", "--index"])
        .arg(ro.dir())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(s["documents"], 2, "{s}");
    let out = ro
        .retrace()
        .args(["check", "--lexical-only", "--json", "--index"])
        .arg(ro.dir())
        .arg(example("rewrite.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["sources"][0]["id"], article.as_str(), "{report}");
    let out = ro
        .retrace()
        .args(["index", "--lexical-only", "--index"])
        .arg(ro.dir())
        .arg(example("rewrite.txt"))
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot take the index's write lock")
            && !err.contains("another process")
            && !err.contains("panicked")
            && err.trim().lines().count() == 1,
        "{err}"
    );
}
