//! The mailboxes of the config's `[email]`: `Name <addr@example.com>`, `"Sato, Finance"
//! <addr@…>` or a bare `addr@example.com`, parsed once when the config is read.

pub use super::messages::AddressFault;

/// One mailbox of the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
    /// The text as written in the config (trimmed).
    pub text: String,
}

impl Mailbox {
    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

/// Parse a config mailbox; the error says what is wrong with it.
pub fn parse_mailbox(text: &str) -> Result<Mailbox, AddressFault> {
    let text = text.trim();
    let (name, address) = match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(without_close)) => {
            let name = text[..open].trim();
            let name = name
                .strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .map(|n| n.replace("\\\"", "\"").replace("\\\\", "\\"))
                .unwrap_or_else(|| name.to_string());
            (name, without_close[open + 1..].trim())
        }
        _ => (String::new(), text),
    };
    if name.chars().any(char::is_control) {
        return Err(AddressFault::ControlCharacter);
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(AddressFault::NoAt);
    };
    let well_formed = !local.is_empty()
        && !domain.is_empty()
        && address
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>(),;:\"[]\\".contains(c));
    if !well_formed {
        return Err(AddressFault::Malformed);
    }
    Ok(Mailbox {
        name: (!name.is_empty()).then_some(name),
        address: address.to_string(),
        text: text.to_string(),
    })
}

#[cfg(test)]
mod tests;
