//! Text from a plan made safe for each place it is written: HTML, Markdown. A plan comes
//! from colleagues, so every name and note is escaped before it reaches a report.

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

/// Plain text: nothing to escape, no emphasis.
pub(super) const TEXT_MARKUP: Markup = Markup {
    escape: str::to_owned,
    strong: str::to_owned,
};
