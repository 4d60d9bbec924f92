//! A reader for the manifests' YAML: block style, one key a line, which is all they use.

use super::read;

/// `key` and `value` of a `key: value` line (or list item `- key: value`), the value unquoted.
pub fn key_value(content: &str) -> Option<(&str, &str)> {
    let content = content.strip_prefix("- ").unwrap_or(content);
    let (key, value) = content.split_once(':')?;
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    Some((key.trim(), value))
}

/// The lines of a block-style YAML text as (indentation, content), without comments and blank
/// lines.
#[derive(Debug, Clone)]
pub struct Yaml(pub Vec<(usize, String)>);

impl Yaml {
    pub fn parse(text: &str) -> Yaml {
        Yaml(
            text.lines()
                .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
                .map(|line| {
                    let content = line.trim_start();
                    (line.len() - content.len(), content.trim_end().to_owned())
                })
                .collect(),
        )
    }

    pub fn file(path: &str) -> Yaml {
        Yaml::parse(&read(path))
    }

    /// The lines nested under the first `key:` line with no value of its own.
    pub fn block(&self, key: &str) -> Yaml {
        let start = self
            .0
            .iter()
            .position(|(_, content)| key_value(content) == Some((key, "")))
            .unwrap_or_else(|| panic!("no `{key}:` block in {self:?}"));
        let (indent, content) = &self.0[start];
        // Keys of a list item `- key:` sit two columns right of the dash.
        let indent = indent + if content.starts_with("- ") { 2 } else { 0 };
        Yaml(
            self.0[start + 1..]
                .iter()
                .take_while(|(inner, _)| *inner > indent)
                .cloned()
                .collect(),
        )
    }

    /// The items of a list block (such as `block("volumes")`), each with its nested lines.
    pub fn items(&self) -> Vec<Yaml> {
        let Some(indent) = self.0.iter().map(|(indent, _)| *indent).min() else {
            return Vec::new();
        };
        let mut items: Vec<Yaml> = Vec::new();
        for line in &self.0 {
            if line.0 == indent {
                assert!(line.1.starts_with("- "), "a list item: {line:?}");
                items.push(Yaml(vec![line.clone()]));
            } else if let Some(item) = items.last_mut() {
                item.0.push(line.clone());
            }
        }
        items
    }

    /// The item of a list block whose `key` is `value`.
    pub fn item(&self, key: &str, value: &str) -> Yaml {
        self.items()
            .into_iter()
            .find(|item| item.values(key).first().is_some_and(|v| v == value))
            .unwrap_or_else(|| panic!("no item with `{key}: {value}` in {self:?}"))
    }

    /// Every value of `key`, in order.
    pub fn values(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|(_, content)| key_value(content))
            .filter(|(k, v)| *k == key && !v.is_empty())
            .map(|(_, v)| v.to_owned())
            .collect()
    }

    /// The first value of `key`.
    pub fn value(&self, key: &str) -> String {
        self.values(key)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no `{key}:` in {self:?}"))
    }

    pub fn number(&self, key: &str) -> u64 {
        let value = self.value(key);
        value
            .parse()
            .unwrap_or_else(|e| panic!("`{key}: {value}` is not a number: {e}"))
    }

    /// The `env:` list of a container as (name, value) pairs.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let mut name = None;
        for (_, content) in &self.block("env").0 {
            match key_value(content) {
                Some(("name", n)) => name = Some(n.to_owned()),
                Some(("value", v)) => {
                    pairs.push((name.take().expect("value after name"), v.to_owned()));
                }
                _ => {}
            }
        }
        pairs
    }

    /// The container's `args: ["..."]`.
    pub fn args(&self) -> Vec<String> {
        let list = self.value("args");
        let inner = list
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .unwrap_or_else(|| panic!("args are a flow list: {list}"));
        inner
            .split(',')
            .map(|arg| arg.trim().trim_matches('"').to_owned())
            .collect()
    }
}
