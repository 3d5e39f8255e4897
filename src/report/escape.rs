//! Text from a plan made safe for each place it is written: a terminal, HTML, Markdown. A
//! plan comes from colleagues, so every name and note is escaped before it reaches a report
//! or a screen.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal acts on rather than shows, or that reorder what it shows: C0 and
/// C1 controls and DEL (escape sequences, carriage returns, bells), the Unicode line and
/// paragraph separators, and the bidirectional controls (which can make text read
/// differently from its bytes).
fn is_unsafe(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn escape_char(out: &mut String, ch: char) {
    match ch {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        other => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(other));
        }
    }
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        if escape(ch) {
            escape_char(&mut out, ch);
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

/// Text for one line of a terminal: every character a terminal would act on (escape
/// sequences, carriage returns, newlines, bells, bidirectional overrides) written as a
/// visible escape (`\u{1b}`, `\n`), so a name can neither clear the screen nor forge a line.
#[must_use]
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Like [`terminal_safe`], keeping line ends and tabs: for text whose lines are laid out
/// on purpose (a CSV cell, a block of lines already made safe).
#[must_use]
pub fn terminal_safe_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |ch| {
        is_unsafe(ch) && !matches!(ch, '\n' | '\r' | '\t')
    })
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // A line end in a name renders as a space either way; as a reference it cannot
            // start a line of the page's source (which may be shown in a terminal).
            '\n' => escaped.push_str("&#10;"),
            '\t' => escaped.push(ch),
            ch if is_unsafe(ch) => escape_char(&mut escaped, ch),
            _ => escaped.push(ch),
        }
    }
    escaped
}

/// Escapes text for a Markdown table cell or paragraph.
#[must_use]
pub fn markdown_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                escaped.push('\\');
                escaped.push(ch);
            }
            '\n' | '\r' => escaped.push(' '),
            ch if is_unsafe(ch) => escape_char(&mut escaped, ch),
            _ => escaped.push(ch),
        }
    }
    escaped
}

/// Plan text escaped for one output format, and emphasis around text already escaped.
pub(super) struct Markup {
    pub escape: fn(&str) -> String,
    pub strong: fn(&str) -> String,
}

pub(super) const HTML_MARKUP: Markup = Markup {
    escape: html_escape,
    strong: |text| format!("<strong>{text}</strong>"),
};

pub(super) const MD_MARKUP: Markup = Markup {
    escape: markdown_escape,
    strong: |text| format!("**{text}**"),
};

/// Text laid out by the report's own writer (the PDF): nothing to escape, no emphasis.
pub(super) const PLAIN_MARKUP: Markup = Markup {
    escape: str::to_owned,
    strong: str::to_owned,
};

/// Plain text for a terminal: characters a terminal would act on shown as escapes, no
/// emphasis.
pub(super) const TEXT_MARKUP: Markup = Markup {
    escape: |text| terminal_safe(text).into_owned(),
    strong: str::to_owned,
};
