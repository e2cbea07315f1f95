//! `[smtp]`: the relay that `run --send` and `kpi-report send DIR` deliver through. The
//! password is never in the file: `password_env` names the environment variable holding
//! it, read only when a message is really sent.

use std::path::PathBuf;

use serde::Deserialize;

use super::messages::{Carried, Fault};

/// How the connection to the relay is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (refused when the server does not offer it).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption (a relay on the same host or network only).
    None,
}

impl Security {
    /// The usual port of each kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// The SMTP settings, validated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawSmtp")]
pub struct Smtp {
    /// The relay's host name (empty: not configured, `--send` is refused).
    pub host: String,
    /// The port; by default 587, 465 or 25 after `security`.
    pub port: u16,
    pub security: Security,
    /// The login; no authentication when absent.
    pub username: Option<String>,
    /// The environment variable that holds the password.
    pub password_env: String,
    /// Seconds to wait for the server at each step.
    pub timeout_s: u64,
    /// How many times a transient failure (4xx, lost connection, timeout) is retried.
    pub retries: u32,
    /// Seconds before the first retry; each later one waits twice as long as the one before.
    pub retry_delay_s: f64,
    /// A PEM file of certificates to trust besides the system's (a company's own CA).
    pub ca_file: Option<PathBuf>,
    /// The sent log: one line per accepted delivery, so a re-run sends nothing twice.
    pub sent_log: PathBuf,
}

/// The environment variable read when `password_env` is not set.
pub const DEFAULT_PASSWORD_ENV: &str = "KPI_REPORT_SMTP_PASSWORD";
/// The sent log's default name (in the current folder).
pub const DEFAULT_SENT_LOG: &str = "kpi-report-sent.log";

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            host: String::new(),
            port: Security::Starttls.default_port(),
            security: Security::Starttls,
            username: None,
            password_env: DEFAULT_PASSWORD_ENV.to_string(),
            timeout_s: 30,
            retries: 3,
            retry_delay_s: 5.0,
            ca_file: None,
            sent_log: PathBuf::from(DEFAULT_SENT_LOG),
        }
    }
}

/// `[smtp]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    #[serde(default)]
    host: String,
    port: Option<u16>,
    #[serde(default)]
    security: Security,
    username: Option<String>,
    /// Only to refuse it with a clear message; its value is never kept nor shown.
    password: Option<toml::Value>,
    password_env: Option<String>,
    timeout_s: Option<u64>,
    retries: Option<u32>,
    retry_delay_s: Option<f64>,
    ca_file: Option<PathBuf>,
    sent_log: Option<PathBuf>,
}

impl TryFrom<RawSmtp> for Smtp {
    type Error = Carried;

    fn try_from(raw: RawSmtp) -> Result<Self, Self::Error> {
        if raw.password.is_some() {
            return Err(Carried::new(
                &["password"],
                Fault::SmtpPassword {
                    env: DEFAULT_PASSWORD_ENV.to_string(),
                },
            ));
        }
        let defaults = Smtp::default();
        Ok(Smtp {
            host: raw.host.trim().to_string(),
            port: raw.port.unwrap_or(raw.security.default_port()),
            security: raw.security,
            username: raw.username.filter(|u| !u.is_empty()),
            password_env: raw.password_env.unwrap_or(defaults.password_env),
            timeout_s: raw.timeout_s.unwrap_or(defaults.timeout_s),
            retries: raw.retries.unwrap_or(defaults.retries),
            retry_delay_s: raw.retry_delay_s.unwrap_or(defaults.retry_delay_s),
            ca_file: raw.ca_file,
            sent_log: raw.sent_log.unwrap_or(defaults.sent_log),
        })
    }
}

impl Smtp {
    /// The first key whose value cannot be used, and what is wrong with it.
    pub(crate) fn validate(&self) -> Result<(), (&'static str, Fault)> {
        if self.port == 0 {
            return Err(("port", Fault::Port));
        }
        if self.timeout_s == 0 {
            return Err(("timeout_s", Fault::Positive));
        }
        if !(self.retry_delay_s.is_finite() && (0.0..=3600.0).contains(&self.retry_delay_s)) {
            return Err(("retry_delay_s", Fault::RetryDelay));
        }
        if self.retries > 20 {
            return Err((
                "retries",
                Fault::AtMost {
                    max: "20".to_string(),
                },
            ));
        }
        if self.password_env.trim().is_empty() || self.password_env.contains('=') {
            return Err(("password_env", Fault::EnvName));
        }
        if self.sent_log.as_os_str().is_empty() {
            return Err(("sent_log", Fault::FileName));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
