//! Ready-made lists on the New wall page: searches players study most, one click away.
//! Each is a set of search criteria, so a list is whatever the chosen lexicon holds.

/// One ready-made list: its button's label and its criteria.
#[derive(Debug, Clone)]
pub struct ReadyMade {
    /// The button's text.
    pub label: String,
    /// Search criteria, as name and value.
    pub criteria: Vec<(&'static str, String)>,
}

/// A heading and its lists.
#[derive(Debug, Clone)]
pub struct Shelf {
    /// What the lists have in common.
    pub heading: &'static str,
    /// The lists.
    pub lists: Vec<ReadyMade>,
}

fn list(label: impl Into<String>, criteria: &[(&'static str, &str)]) -> ReadyMade {
    ReadyMade {
        label: label.into(),
        criteria: criteria
            .iter()
            .map(|&(name, value)| (name, value.to_owned()))
            .collect(),
    }
}

/// The likeliest alphagrams of a length, a hundred at a time.
fn by_the_hundred(length: &'static str, hundreds: usize) -> Vec<ReadyMade> {
    (0..hundreds)
        .map(|h| {
            let range = format!("{}-{}", h * 100 + 1, (h + 1) * 100);
            list(
                format!("{}–{}", h * 100 + 1, (h + 1) * 100),
                &[("length", length), ("probability", &range)],
            )
        })
        .collect()
}

/// Every ready-made list, by heading.
#[must_use]
pub fn shelves() -> Vec<Shelf> {
    vec![
        Shelf {
            heading: "Likeliest 7s",
            lists: by_the_hundred("7", 10),
        },
        Shelf {
            heading: "Likeliest 8s",
            lists: by_the_hundred("8", 10),
        },
        Shelf {
            heading: "Short words",
            lists: vec![
                list("All 2s", &[("length", "2")]),
                list("All 3s", &[("length", "3")]),
            ],
        },
        Shelf {
            heading: "J, Q, X and Z",
            lists: vec![
                list(
                    "2–4 letters with J, Q, X or Z",
                    &[("length", "2-4"), ("pattern", "*[JQXZ]*")],
                ),
                list(
                    "5 letters with J, Q, X or Z",
                    &[("length", "5"), ("pattern", "*[JQXZ]*")],
                ),
            ],
        },
        Shelf {
            heading: "Vowel-heavy",
            lists: vec![
                list("6s with 4+ vowels", &[("length", "6"), ("vowels", "4-")]),
                list(
                    "7s and 8s with 5+ vowels",
                    &[("length", "7-8"), ("vowels", "5-")],
                ),
            ],
        },
        Shelf {
            heading: "Most anagrams",
            lists: vec![
                list(
                    "7s with 4+ anagrams",
                    &[("length", "7"), ("anagrams", "4-")],
                ),
                list(
                    "8s with 3+ anagrams",
                    &[("length", "8"), ("anagrams", "3-")],
                ),
                list("Any length, 5+ anagrams", &[("anagrams", "5-")]),
            ],
        },
    ]
}
