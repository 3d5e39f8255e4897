//! Where a field of a plan is in its file. Validation names a field by its path (`workloads`,
//! 3, `users`); this walks the RON text once and finds the line and column where that field
//! is written, so `check` can print `PLAN:LINE:COL: field: message`.
//!
//! The walk only records the places asked for (and their parents, to fall back on when a
//! field is not written because it has its default), so a 64 MiB file with one problem costs
//! one pass and a handful of entries. It never panics on any text: on something it cannot
//! read it stops and keeps what it found.

use std::collections::{HashMap, HashSet};

use crate::model::FieldStep;

/// A path step with owned text, comparable with what the file holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Field(String),
    Index(usize),
    Key(String),
}

impl From<&FieldStep> for Step {
    fn from(step: &FieldStep) -> Self {
        match step {
            FieldStep::Field(name) => Self::Field((*name).to_owned()),
            FieldStep::Index(i) => Self::Index(*i),
            FieldStep::Key(key) => Self::Key(key.clone()),
        }
    }
}

/// Deeper than any file the reader accepts (64), so a valid plan is always walked whole.
const MAX_DEPTH: usize = 128;

struct Walker<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    path: Vec<Step>,
    /// Every path asked for and every parent of one.
    wanted: &'a HashSet<Vec<Step>>,
    /// Byte offset where each wanted path's field, element or key starts.
    found: HashMap<Vec<Step>, usize>,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Skips whitespace and comments (`//` to the end of the line, nested `/* */`).
    fn skip_blank(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.pos += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.peek(), self.peek_at(1)) {
                            (None, _) => return,
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_blank();
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Whether a string starts here: `"`, `r"`, `r#"`, `b"`, `br#"` (not `r#name`).
    fn at_string(&self) -> bool {
        let mut i = 0;
        if self.peek() == Some(b'b') {
            i += 1;
        }
        if self.peek_at(i) == Some(b'r') {
            i += 1;
            while self.peek_at(i) == Some(b'#') {
                i += 1;
            }
        }
        self.peek_at(i) == Some(b'"')
    }

    /// An identifier (`users`, `r#type`), or `None` when there is none here.
    fn identifier(&mut self) -> Option<&str> {
        let start = self.pos;
        if self.peek() == Some(b'r') && self.peek_at(1) == Some(b'#') {
            self.pos += 2;
        }
        let name_start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        {
            self.pos += 1;
        }
        if self.pos == name_start
            || self.bytes[name_start].is_ascii_digit()
            || !self.text.is_char_boundary(self.pos)
        {
            self.pos = start;
            return None;
        }
        self.text.get(name_start..self.pos)
    }

    /// A quoted string (after an optional `b`), returning its text with the common escapes
    /// undone; a raw string `r#"…"#` as written.
    fn string(&mut self) -> Option<String> {
        if self.peek() == Some(b'b') {
            self.pos += 1;
        }
        if self.peek() == Some(b'r') {
            self.pos += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.pos += 1;
            }
            if self.peek() != Some(b'"') {
                return None;
            }
            self.pos += 1;
            let start = self.pos;
            loop {
                match self.peek() {
                    None => return None,
                    Some(b'"') if (1..=hashes).all(|i| self.peek_at(i) == Some(b'#')) => {
                        let content = self.text.get(start..self.pos).map(str::to_owned);
                        self.pos += 1 + hashes;
                        return content;
                    }
                    Some(_) => self.pos += 1,
                }
            }
        }
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut content = String::new();
        let mut chunk_start = self.pos;
        loop {
            match self.peek() {
                None => return None,
                Some(b'"') => {
                    content.push_str(self.text.get(chunk_start..self.pos)?);
                    self.pos += 1;
                    return Some(content);
                }
                Some(b'\\') => {
                    content.push_str(self.text.get(chunk_start..self.pos)?);
                    let escaped = self.peek_at(1)?;
                    self.pos += 2;
                    match escaped {
                        b'n' => content.push('\n'),
                        b't' => content.push('\t'),
                        b'r' => content.push('\r'),
                        b'0' => content.push('\0'),
                        b'u' if self.peek() == Some(b'{') => {
                            let close = self.bytes[self.pos..].iter().position(|&c| c == b'}')?;
                            let hex = self.text.get(self.pos + 1..self.pos + close)?;
                            content.push(
                                u32::from_str_radix(hex, 16)
                                    .ok()
                                    .and_then(char::from_u32)
                                    .unwrap_or('\u{fffd}'),
                            );
                            self.pos += close + 1;
                        }
                        other => content.push(char::from(other)),
                    }
                    chunk_start = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// A child of the current value at `step`, starting here: recorded when asked for.
    fn child(&mut self, step: Step, start: usize, depth: usize, recording: bool) -> Option<()> {
        self.path.push(step);
        let record = recording && self.wanted.contains(&self.path);
        if record {
            self.found.entry(self.path.clone()).or_insert(start);
        }
        let result = self.value(depth + 1, record);
        self.path.pop();
        result
    }

    /// One value at the current path, with everything in it.
    fn value(&mut self, depth: usize, recording: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_blank();
        match self.peek()? {
            b'(' => {
                self.pos += 1;
                self.group(b')', depth, recording)
            }
            b'[' => {
                self.pos += 1;
                self.group(b']', depth, recording)
            }
            b'{' => {
                self.pos += 1;
                self.map(depth, recording)
            }
            _ if self.at_string() => self.string().map(|_| ()),
            b'\'' => {
                // A character: `'x'`, `'\''`.
                self.pos += 1;
                if self.peek() == Some(b'\\') {
                    self.pos += 1;
                }
                self.pos += 1;
                while self.peek().is_some_and(|c| c != b'\'') {
                    self.pos += 1;
                }
                self.pos += 1;
                Some(())
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                // A unit variant or `None`, or a name before a group: `Some(…)`, `Plan(…)`.
                self.identifier()?;
                self.skip_blank();
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    self.group(b')', depth, recording)?;
                }
                Some(())
            }
            _ => {
                // A number: digits, sign, point, exponent, `_`, `0x…`.
                let start = self.pos;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')
                }) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }

    /// The inside of `( … )` or `[ … ]`: struct fields `name: value` or elements by index.
    fn group(&mut self, close: u8, depth: usize, recording: bool) -> Option<()> {
        let mut index = 0;
        loop {
            if self.eat(close) {
                return Some(());
            }
            self.skip_blank();
            let start = self.pos;
            // `name:` (and not `name::`) starts a struct field.
            let field = if close == b')' {
                let name = self.identifier().map(str::to_owned);
                self.skip_blank();
                match name {
                    Some(name) if self.peek() == Some(b':') && self.peek_at(1) != Some(b':') => {
                        self.pos += 1;
                        Some(name)
                    }
                    _ => {
                        self.pos = start;
                        None
                    }
                }
            } else {
                None
            };
            let step = if let Some(name) = field {
                Step::Field(name)
            } else {
                index += 1;
                Step::Index(index - 1)
            };
            self.child(step, start, depth, recording)?;
            if !self.eat(b',') {
                return self.eat(close).then_some(());
            }
        }
    }

    /// The inside of `{ … }`: `key: value` entries, keyed by the key's text.
    fn map(&mut self, depth: usize, recording: bool) -> Option<()> {
        loop {
            if self.eat(b'}') {
                return Some(());
            }
            self.skip_blank();
            let start = self.pos;
            let key = if self.at_string() {
                self.string()?
            } else {
                self.value(depth + 1, false)?;
                self.text.get(start..self.pos)?.trim().to_owned()
            };
            if !self.eat(b':') {
                return None;
            }
            self.child(Step::Key(key), start, depth, recording)?;
            if !self.eat(b',') {
                return self.eat(b'}').then_some(());
            }
        }
    }
}

/// The 1-based line and column of each path in `text` (a plan file's text, as read): the
/// field's name, the list element or the map key; for a path that is not written (a
/// defaulted field), its nearest written parent; `None` when not even a parent is.
#[must_use]
pub fn locate(text: &str, paths: &[&[FieldStep]]) -> Vec<Option<(usize, usize)>> {
    let paths: Vec<Vec<Step>> = paths
        .iter()
        .map(|p| p.iter().map(Step::from).collect())
        .collect();
    let mut wanted = HashSet::new();
    for path in &paths {
        for len in 1..=path.len() {
            wanted.insert(path[..len].to_vec());
        }
    }
    let mut walker = Walker {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        path: Vec::new(),
        wanted: &wanted,
        found: HashMap::new(),
    };
    // Extensions such as `#![enable(implicit_some)]` come before the value.
    walker.skip_blank();
    while walker.peek() == Some(b'#') {
        match walker.bytes[walker.pos..].iter().position(|&c| c == b']') {
            Some(end) => walker.pos += end + 1,
            None => break,
        }
        walker.skip_blank();
    }
    let _ = walker.value(0, true);
    let lines = LineIndex::new(text);
    paths
        .iter()
        .map(|path| {
            (1..=path.len())
                .rev()
                .find_map(|len| walker.found.get(&path[..len]))
                .map(|&offset| lines.line_col(offset))
        })
        .collect()
}

/// Byte offsets of line starts, for turning an offset into a line and column.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// Line and column (in characters), both from 1.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |before| before.chars().count());
        (line.max(1), col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_elements_keys_and_falls_back_to_the_parent() {
        let text = "#![enable(implicit_some)]\n(\n    a: 1, // note\n    list: [\n        (x: \"p\\\"q\", y: Some(2)),\n        /* two */ (x: r#\"z\"#),\n    ],\n    map: {\n        \"k\\u{e9}\": (m: 3),\n    },\n)\n";
        let a = [FieldStep::Field("a")];
        let y = [
            FieldStep::Field("list"),
            FieldStep::Index(0),
            FieldStep::Field("y"),
        ];
        let second = [FieldStep::Field("list"), FieldStep::Index(1)];
        let missing = [
            FieldStep::Field("list"),
            FieldStep::Index(1),
            FieldStep::Field("y"),
        ];
        let m = [
            FieldStep::Field("map"),
            FieldStep::Key("k\u{e9}".to_owned()),
            FieldStep::Field("m"),
        ];
        let nowhere = [FieldStep::Field("nowhere")];
        assert_eq!(
            locate(text, &[&a, &y, &second, &missing, &m, &nowhere]),
            vec![
                Some((3, 5)),
                Some((5, 21)),
                Some((6, 19)),
                Some((6, 19)),
                Some((9, 21)),
                None
            ]
        );
    }

    #[test]
    fn never_panics_on_broken_text() {
        let path = [FieldStep::Field("a"), FieldStep::Index(0)];
        for text in [
            "", "(", "(a: [", "(a: \"", "(a: r#\"", "(a: '\\", "{\"k\":", "((((", "é(a:é",
        ] {
            let _ = locate(text, &[&path]);
        }
    }
}
