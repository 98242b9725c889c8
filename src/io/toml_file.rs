//! Reading a TOML file into typed values, turning every parse or shape error into a located
//! [`Diagnostic`] (unknown keys get a "did you mean").

use crate::core::diag::{Diagnostic, LineIndex, Source};
use crate::core::msg::Msg;
use crate::core::suggest::closest;
use crate::io::text::decode_utf8;
use serde::de::DeserializeOwned;

/// A TOML text, decoded, with its line index.
#[derive(Debug, Clone)]
pub struct TomlText {
    pub text: String,
    pub lines: LineIndex,
}

/// Why a TOML file could not be read into its type: the one diagnostic that stopped it, and
/// the text when it was text (for locating the diagnostic).
#[derive(Debug)]
pub struct ParseFailure {
    pub diagnostic: Diagnostic,
    pub text: Option<TomlText>,
}

/// Decode and parse `bytes` as `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], source: Source) -> Result<(T, TomlText), Box<ParseFailure>> {
    let text = match decode_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let diagnostic = Diagnostic::error(Msg::NotUtf8 { byte: e.byte }).in_source(source);
            return Err(Box::new(ParseFailure { diagnostic, text: None }));
        }
    };
    let lines = LineIndex::new(&text);
    let tt = TomlText { text, lines };
    match toml::from_str::<T>(&tt.text) {
        Ok(v) => Ok((v, tt)),
        Err(e) => {
            let mut d = Diagnostic::error(error_message(e.message())).in_source(source);
            if let Some(span) = e.span() {
                d = d.at(span);
            }
            Err(Box::new(ParseFailure { diagnostic: d, text: Some(tt) }))
        }
    }
}

/// The backquoted words of a serde message, in order.
fn backquoted(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Map a toml/serde error message to our message.
fn error_message(message: &str) -> Msg {
    let words = backquoted(message);
    if message.starts_with("unknown field") && !words.is_empty() {
        let key = words[0].clone();
        let expected = words[1..].to_vec();
        let suggestion = closest(&key, expected.iter().map(String::as_str));
        Msg::UnknownKey { key, suggestion, expected }
    } else if message.starts_with("unknown variant") && !words.is_empty() {
        let value = words[0].clone();
        let expected = words[1..].to_vec();
        let suggestion = closest(&value, expected.iter().map(String::as_str));
        Msg::UnknownValue { value, suggestion, expected }
    } else if message.starts_with("missing field") && !words.is_empty() {
        Msg::MissingKey { key: words[0].clone() }
    } else if message.starts_with("duplicate key") {
        Msg::DuplicateKey
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
    {
        Msg::InvalidValue { detail: message.trim().to_owned() }
    } else {
        Msg::TomlSyntax { detail: message.trim().to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_closest_key() {
        let m = error_message("unknown field `pionts`, expected one of `code`, `points`, `parent`");
        assert_eq!(
            m,
            Msg::UnknownKey {
                key: "pionts".into(),
                suggestion: Some("points".into()),
                expected: vec!["code".into(), "points".into(), "parent".into()]
            }
        );
        assert_eq!(error_message("missing field `name`"), Msg::MissingKey { key: "name".into() });
        assert_eq!(error_message("invalid table header").code(), "toml-syntax");
    }
}
