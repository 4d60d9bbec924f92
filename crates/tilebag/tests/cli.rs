//! The real `tilebag` binary, run as a player would run it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

struct Run {
    output: Output,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
    fn ok(self) -> Run {
        assert!(
            self.output.status.success(),
            "failed: {}\n{}",
            self.stderr(),
            self.stdout()
        );
        self
    }
    fn fails(self) -> Run {
        assert!(
            !self.output.status.success(),
            "succeeded: {}",
            self.stdout()
        );
        self
    }
}

fn tilebag(data: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tilebag"))
        .args(args)
        .env("TILEBAG_DATA_DIR", data)
        .env_remove("TILEBAG_LEXICON")
        .output()
        .expect("tilebag runs");
    Run { output }
}

fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.display().to_string()
}

#[test]
fn anagram_prints_words_alphabetically() {
    let dir = data_dir();
    let run = tilebag(dir.path(), &["anagram", "aeinrst"]).ok();
    let words: Vec<String> = run.stdout().lines().map(str::to_owned).collect();
    assert!(
        words.contains(&"RETAINS".to_owned()) && words.contains(&"STAINER".to_owned()),
        "{words:?}"
    );
    let mut sorted = words.clone();
    sorted.sort();
    assert_eq!(words, sorted);
}

#[test]
fn anagram_json_shape_with_blanks_build_and_super() {
    let dir = data_dir();
    let json = tilebag(dir.path(), &["anagram", "QI?", "--json"])
        .ok()
        .json();
    assert_eq!(json["lexicon"], "SCOWL80");
    assert_eq!(json["query"], "QI?");
    let words: Vec<&str> = json["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(words.contains(&"QIS"), "{words:?}");
    assert!(
        words
            .iter()
            .all(|w| w.len() == 3 && w.contains('Q') && w.contains('I'))
    );
    let build = tilebag(dir.path(), &["anagram", "CAT", "--build", "--json"])
        .ok()
        .json();
    let build: Vec<&str> = build["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        build.contains(&"AT") && build.contains(&"CAT") && build.contains(&"ACT"),
        "{build:?}"
    );
    let sup = tilebag(dir.path(), &["anagram", "QZ", "--super", "--json"])
        .ok()
        .json();
    let sup: Vec<&str> = sup["words"]
        .as_array()
        .expect("words")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(sup.contains(&"QUIZ"), "{sup:?}");
}

#[test]
fn malformed_queries_print_one_line_and_fail() {
    let dir = data_dir();
    for (query, message) in [
        ("[AB", "the letter class “[” at position 1 is not closed"),
        ("?????????", "9 blanks; at most 8 are allowed"),
        ("AB3", "“3” at position 3 is not a letter"),
    ] {
        let run = tilebag(dir.path(), &["anagram", query]).fails();
        assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
        assert!(run.stderr().contains(message), "{}", run.stderr());
    }
    let run = tilebag(dir.path(), &["anagram", "CAT", "--lexicon", "NWL2099"]).fails();
    assert!(
        run.stderr()
            .starts_with("tilebag: no lexicon is named “NWL2099”"),
        "{}",
        run.stderr()
    );
    let run = tilebag(dir.path(), &["search", "--length", "9-7"]).fails();
    assert!(
        run.stderr().contains("length: “9-7”: the range is empty"),
        "{}",
        run.stderr()
    );
}

#[test]
fn judge_exit_status_says_whether_all_are_valid() {
    let dir = data_dir();
    let run = tilebag(dir.path(), &["judge", "qi", "retains"]).ok();
    assert_eq!(run.stdout(), "QI VALID\nRETAINS VALID\n");
    let run = tilebag(dir.path(), &["judge", "qi", "qzx"]).fails();
    assert_eq!(run.stdout(), "QI VALID\nQZX INVALID\n");
    let json = tilebag(dir.path(), &["judge", "qzx", "--json"])
        .fails()
        .json();
    assert_eq!(json["valid"], false);
}

#[test]
fn info_gives_every_fact() {
    let dir = data_dir();
    let json = tilebag(dir.path(), &["info", "eat", "--json"]).ok().json();
    let eat = &json[0];
    assert_eq!(eat["word"], "EAT");
    assert_eq!(eat["alphagram"], "AET");
    assert!(eat["probability"].as_u64().is_some_and(|p| p >= 1));
    assert!(eat["combinations"].as_u64().is_some_and(|c| c > 0));
    assert!(
        eat["front_hooks"]
            .as_str()
            .is_some_and(|h| h.contains('S') && h.contains('B'))
    );
    assert!(eat["back_hooks"].as_str().is_some_and(|h| h.contains('S')));
    assert_eq!(eat["inner_front_hook"], true);
    assert!(
        eat["anagrams"]
            .as_array()
            .is_some_and(|a| a.iter().any(|w| w == "TEA"))
    );
    let text = tilebag(dir.path(), &["info", "eat"]).ok().stdout();
    assert!(
        text.contains("alphagram     AET: 3 letters, 3 points, 2 vowels")
            && text.contains("front hooks"),
        "{text}"
    );
    let run = tilebag(dir.path(), &["info", "eat", "xqzy"]).fails();
    assert!(run.stderr().contains("XQZY is not a word in SCOWL80"));
    assert!(run.stdout().contains("EAT"));
}

#[test]
fn search_json_is_in_rank_order_with_word_objects() {
    let dir = data_dir();
    let json = tilebag(
        dir.path(),
        &[
            "search",
            "--length",
            "7",
            "--prob",
            "1-20",
            "--anagrams",
            "2-",
            "--json",
        ],
    )
    .ok()
    .json();
    let alphagrams = json["alphagrams"].as_array().expect("alphagrams");
    assert!(!alphagrams.is_empty());
    let ranks: Vec<u64> = alphagrams
        .iter()
        .filter_map(|a| a["probability"].as_u64())
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] < w[1]) && ranks.iter().all(|&r| r <= 20),
        "{ranks:?}"
    );
    for alphagram in alphagrams {
        let words = alphagram["words"].as_array().expect("words");
        assert!(words.len() >= 2);
        for key in [
            "word",
            "front_hooks",
            "back_hooks",
            "inner_front_hook",
            "inner_back_hook",
            "definition",
        ] {
            assert!(words[0].get(key).is_some(), "missing {key}");
        }
    }
    let text = tilebag(
        dir.path(),
        &["search", "--pattern", "QU?Z", "--not-includes", "S"],
    )
    .ok()
    .stdout();
    assert!(text.contains("QUIZ"), "{text}");
}

#[test]
fn search_in_list_reports_bad_lines() {
    let dir = data_dir();
    let list = write(dir.path(), "list.txt", "# my list\nretains\n\nQI\n");
    let json = tilebag(dir.path(), &["search", "--in-list", &list, "--json"])
        .ok()
        .json();
    let letters: Vec<&str> = json["alphagrams"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["alphagram"].as_str())
        .collect();
    assert_eq!(letters, ["IQ", "AEINRST"]);
    let bad = write(dir.path(), "bad.txt", "retains\nQ-I\n");
    let run = tilebag(dir.path(), &["search", "--in-list", &bad]).fails();
    assert!(
        run.stderr().contains("bad.txt, line 2: “Q-I”"),
        "{}",
        run.stderr()
    );
}

#[test]
fn lexicons_import_list_compare_and_remove() {
    let dir = data_dir();
    let words = write(
        dir.path(),
        "mine.txt",
        "\u{feff}# my words\r\nQI life force\r\nZA\r\nCAT\r\nTAC\r\nqi\r\n",
    );
    let run = tilebag(dir.path(), &["lexicon", "import", "Mine", &words]).ok();
    assert!(
        run.stdout().contains("imported Mine: 4 words"),
        "{}",
        run.stdout()
    );
    let list = tilebag(dir.path(), &["lexicon", "list", "--json"])
        .ok()
        .json();
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(names, ["SCOWL80", "Mine"]);
    let json = tilebag(
        dir.path(),
        &["anagram", "ACT", "--lexicon", "mine", "--json"],
    )
    .ok()
    .json();
    assert_eq!(json["words"], serde_json::json!(["CAT", "TAC"]));
    let info = tilebag(dir.path(), &["info", "qi", "--lexicon", "MINE", "--json"])
        .ok()
        .json();
    assert_eq!(info[0]["definition"], "life force");
    // Words of SCOWL80 that Mine lacks carry the symbol.
    let compared = tilebag(
        dir.path(),
        &["info", "cat", "act", "--compare", "Mine", "--json"],
    )
    .ok()
    .json();
    assert_eq!(
        (&compared[0]["symbol"], &compared[1]["symbol"]),
        (&Value::from(""), &Value::from("#"))
    );
    let in_mine = tilebag(
        dir.path(),
        &["search", "--length", "3", "--in-lexicon", "Mine", "--json"],
    )
    .ok()
    .json();
    assert_eq!(in_mine["alphagrams"].as_array().map(Vec::len), Some(1));

    let run = tilebag(dir.path(), &["lexicon", "import", "MINE", &words]).fails();
    assert!(
        run.stderr().contains("already exists; add --replace"),
        "{}",
        run.stderr()
    );
    tilebag(
        dir.path(),
        &["lexicon", "import", "MINE", &words, "--replace"],
    )
    .ok();
    tilebag(dir.path(), &["lexicon", "remove", "mine"]).ok();
    let run = tilebag(dir.path(), &["anagram", "ACT", "--lexicon", "mine"]).fails();
    assert!(run.stderr().contains("no lexicon is named “mine”"));
    let run = tilebag(dir.path(), &["lexicon", "remove", "SCOWL80"]).fails();
    assert!(run.stderr().contains("bundled"));
}

#[test]
fn imports_read_gzip_and_definitions_files() {
    let dir = data_dir();
    let path = dir.path().join("words.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        flate2::Compression::default(),
    );
    gz.write_all(b"AA\nAB\nBA\n").expect("write");
    gz.finish().expect("finish");
    let definitions = write(
        dir.path(),
        "defs.txt",
        "AB an abdominal muscle\nZZZ not in the list\n",
    );
    let run = tilebag(
        dir.path(),
        &[
            "lexicon",
            "import",
            "GZ",
            &path.display().to_string(),
            "--definitions",
            &definitions,
        ],
    )
    .ok();
    assert!(
        run.stdout().contains("3 words") && run.stdout().contains("ignored definitions of 1 words"),
        "{}",
        run.stdout()
    );
    let info = tilebag(dir.path(), &["info", "ab", "--lexicon", "gz", "--json"])
        .ok()
        .json();
    assert_eq!(info[0]["definition"], "an abdominal muscle");
}

#[test]
fn import_errors_name_the_file_and_line() {
    let dir = data_dir();
    let bad = write(dir.path(), "bad.txt", "AA\nAB\nC4T\nABCDEFGHIJKLMNOP\nZA\n");
    let run = tilebag(dir.path(), &["lexicon", "import", "BAD", &bad]).fails();
    assert!(
        run.stderr()
            .contains("bad.txt, line 3: “C4T” is not a valid word"),
        "{}",
        run.stderr()
    );
    let run = tilebag(
        dir.path(),
        &["lexicon", "import", "BAD", &bad, "--skip-invalid"],
    )
    .ok();
    assert!(
        run.stdout().contains("3 words") && run.stdout().contains("skipped 2 invalid lines"),
        "{}",
        run.stdout()
    );
    let empty = write(dir.path(), "empty.txt", "# nothing here\n\n");
    let run = tilebag(dir.path(), &["lexicon", "import", "EMPTY", &empty]).fails();
    assert!(
        run.stderr().contains("empty.txt holds no words"),
        "{}",
        run.stderr()
    );
    let run = tilebag(dir.path(), &["lexicon", "import", "no/slash", &empty]).fails();
    assert!(run.stderr().contains("not a usable lexicon name"));
    let run = tilebag(
        dir.path(),
        &[
            "lexicon",
            "import",
            "X",
            &dir.path().join("missing.txt").display().to_string(),
        ],
    )
    .fails();
    assert!(
        run.stderr().contains("cannot read") && run.stderr().contains("missing.txt"),
        "{}",
        run.stderr()
    );
    // Nothing half-written is left behind.
    let list = tilebag(dir.path(), &["lexicon", "list", "--json"])
        .ok()
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
}

#[test]
fn a_damaged_lexicon_file_is_an_error() {
    let dir = data_dir();
    let words = write(dir.path(), "w.txt", "AA\nAB\n");
    tilebag(dir.path(), &["lexicon", "import", "W", &words]).ok();
    let stored = dir.path().join("lexicons").join("W.tbx");
    let bytes = std::fs::read(&stored).expect("stored");
    std::fs::write(&stored, &bytes[..bytes.len() / 2]).expect("truncate");
    let run = tilebag(dir.path(), &["anagram", "AA", "--lexicon", "W"]).fails();
    assert!(
        run.stderr().contains("cannot load") && run.stderr().contains("W.tbx"),
        "{}",
        run.stderr()
    );
}
