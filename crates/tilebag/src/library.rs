//! The lexicons a player has: the bundled one plus those imported into the data directory.
//!
//! Imported lexicons are stored prebuilt (`lexicons/NAME.tbx`), so loading one is a file
//! read and a validation pass, as fast as the bundled one.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tilebag_lexicon::{AlignedBytes, ImportOptions, Lexicon, TileBag, WordList};

const EXTENSION: &str = "tbx";

/// The lexicons in one data directory, plus the bundled one.
#[derive(Debug, Clone)]
pub struct Library {
    dir: PathBuf,
}

/// A lexicon as `lexicon list` shows it.
#[derive(Debug, serde::Serialize)]
pub struct Listed {
    pub name: String,
    pub words: usize,
    pub alphagrams: usize,
    pub definitions: bool,
    pub bundled: bool,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub words: usize,
    pub skipped: usize,
    pub definitions_unmatched: usize,
    pub path: PathBuf,
}

impl Library {
    /// The library of a data directory (it need not exist yet).
    pub fn new(data_dir: &Path) -> Library {
        Library {
            dir: data_dir.join("lexicons"),
        }
    }

    /// Loads a lexicon by name (any case).
    pub fn open(&self, name: &str) -> anyhow::Result<Lexicon> {
        if name.eq_ignore_ascii_case(tilebag_bundled::NAME) {
            return Ok(tilebag_bundled::scowl80());
        }
        let Some(path) = self.find(name)? else {
            bail!(
                "no lexicon is named “{name}”; “tilebag lexicon list” shows the lexicons you have"
            );
        };
        load(&path)
    }

    /// Loads every lexicon, the bundled one first, then the imported ones by name.
    pub fn load_all(&self) -> anyhow::Result<Vec<Lexicon>> {
        let mut all = vec![tilebag_bundled::scowl80()];
        for path in self.files()? {
            all.push(load(&path)?);
        }
        Ok(all)
    }

    /// Every lexicon, the bundled one first, then the imported ones by name.
    pub fn list(&self) -> anyhow::Result<Vec<Listed>> {
        let listed = |lexicon: &Lexicon, bundled| Listed {
            name: lexicon.name().to_owned(),
            words: lexicon.word_count(),
            alphagrams: lexicon.alphagram_count(),
            definitions: lexicon.has_definitions(),
            bundled,
        };
        let mut all = vec![listed(&tilebag_bundled::scowl80(), true)];
        for path in self.files()? {
            all.push(listed(&load(&path)?, false));
        }
        Ok(all)
    }

    /// Reads a word list (and optionally a definitions list), builds it and stores it.
    pub fn import(
        &self,
        name: &str,
        words: &Path,
        definitions: Option<&Path>,
        options: ImportOptions,
        replace: bool,
    ) -> anyhow::Result<Imported> {
        check_name(name)?;
        if name.eq_ignore_ascii_case(tilebag_bundled::NAME) {
            bail!("“{name}” is the bundled lexicon's name; choose another name");
        }
        let existing = self.find(name)?;
        if existing.is_some() && !replace {
            bail!("a lexicon named “{name}” already exists; add --replace to replace it");
        }
        let mut list = WordList::parse(&read_text(words)?, &words.display().to_string(), options)?;
        let mut definitions_unmatched = 0;
        if let Some(path) = definitions {
            let defs = WordList::parse(&read_text(path)?, &path.display().to_string(), options)?;
            definitions_unmatched = list.merge_definitions(defs);
        }
        let lexicon = Lexicon::build(name, &list, &TileBag::english());
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let path = self.dir.join(format!("{name}.{EXTENSION}"));
        let temporary = self
            .dir
            .join(format!(".{name}.{EXTENSION}.{}", std::process::id()));
        fs::write(&temporary, lexicon.as_bytes())
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        if let Some(old) = existing.filter(|old| *old != path) {
            fs::remove_file(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        fs::rename(&temporary, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Imported {
            words: lexicon.word_count(),
            skipped: list.skipped(),
            definitions_unmatched,
            path,
        })
    }

    /// Deletes an imported lexicon.
    pub fn remove(&self, name: &str) -> anyhow::Result<()> {
        if name.eq_ignore_ascii_case(tilebag_bundled::NAME) {
            bail!("“{name}” is bundled with tilebag and cannot be removed");
        }
        let Some(path) = self.find(name)? else {
            bail!(
                "no imported lexicon is named “{name}”; “tilebag lexicon list” shows the lexicons you have"
            );
        };
        fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))
    }

    fn files(&self) -> anyhow::Result<Vec<PathBuf>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", self.dir.display())),
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension().is_some_and(|e| e == EXTENSION)
                    && stem(path).is_some_and(|s| !s.starts_with('.'))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn find(&self, name: &str) -> anyhow::Result<Option<PathBuf>> {
        Ok(self
            .files()?
            .into_iter()
            .find(|path| stem(path).is_some_and(|s| s.eq_ignore_ascii_case(name))))
    }
}

fn stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|s| s.to_str())
}

fn check_name(name: &str) -> anyhow::Result<()> {
    let ok = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        bail!(
            "“{name}” is not a usable lexicon name: use 1-32 letters, digits, underscores or hyphens (e.g. NWL2023)"
        );
    }
    Ok(())
}

/// Loads a prebuilt lexicon file.
fn load(path: &Path) -> anyhow::Result<Lexicon> {
    let mut file =
        fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    let mut bytes = AlignedBytes::zeroed(usize::try_from(len).context("lexicon file too large")?);
    file.read_exact(bytes.as_bytes_mut())
        .with_context(|| format!("cannot read {}", path.display()))?;
    Lexicon::from_bytes(bytes).with_context(|| format!("cannot load {}", path.display()))
}

/// Reads a text file, gunzipping it if it is gzip-compressed.
pub fn read_text(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut text)
        .with_context(|| {
            format!(
                "{} looks gzip-compressed but cannot be decompressed",
                path.display()
            )
        })?;
    Ok(text)
}
