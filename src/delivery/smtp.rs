//! The SMTP relay of `[smtp]`, through lettre with rustls (no system OpenSSL): STARTTLS,
//! TLS from the first byte or a plain connection, the system's root certificates plus
//! `ca_file`, and a login whose password comes from the environment. Each recipient gets
//! their own SMTP transaction, so a server refusing one recipient does not stop the others.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{SmtpTransport, Transport};

use crate::config::{Security, Smtp};

/// Why one delivery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try: a 4xx reply, a lost connection, a timeout.
    Transient(String),
    /// Not worth another try: a 5xx reply, a certificate not trusted, a bad address.
    Permanent(String),
}

impl SendError {
    pub fn reason(&self) -> &str {
        match self {
            SendError::Transient(r) | SendError::Permanent(r) => r,
        }
    }
}

/// Something that delivers one message to one recipient.
pub trait Relay {
    fn send(&self, from: &str, to: &str, message: &[u8]) -> Result<(), SendError>;
}

/// The relay of `[smtp]`.
pub struct SmtpRelay {
    transport: SmtpTransport,
}

impl std::fmt::Debug for SmtpRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credentials.
        f.write_str("SmtpRelay")
    }
}

/// The password for `[smtp]`: `None` without a username; an error naming the variable
/// (never its value) when the username is set and the variable is not.
pub fn password(smtp: &Smtp) -> Result<Option<String>, String> {
    if smtp.username.is_none() {
        return Ok(None);
    }
    match std::env::var(&smtp.password_env) {
        Ok(value) if !value.is_empty() => Ok(Some(value)),
        _ => Err(format!(
            "smtp.username is set but the environment variable {} (smtp.password_env) holding \
             the password is not set or empty",
            smtp.password_env
        )),
    }
}

fn tls_parameters(smtp: &Smtp) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(smtp.host.clone());
    if let Some(ca_file) = &smtp.ca_file {
        let pem = std::fs::read(ca_file)
            .map_err(|e| format!("smtp.ca_file {}: cannot read it: {e}", ca_file.display()))?;
        if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
            return Err(format!(
                "smtp.ca_file {}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)",
                ca_file.display()
            ));
        }
        let certificate = Certificate::from_pem(&pem)
            .map_err(|e| format!("smtp.ca_file {}: {e}", ca_file.display()))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_rustls()
        .map_err(|e| format!("smtp: cannot set up TLS: {e}"))
}

impl SmtpRelay {
    /// The relay of `smtp`, logging in with `password` when a username is set. Nothing is
    /// sent until the first message.
    pub fn new(smtp: &Smtp, password: Option<String>) -> Result<SmtpRelay, String> {
        if smtp.host.is_empty() {
            return Err(
                "no SMTP server: set [smtp] host in kpi-report.toml (see kpi-report.example.toml)"
                    .to_string(),
            );
        }
        let tls = match smtp.security {
            Security::Starttls => Tls::Required(tls_parameters(smtp)?),
            Security::Tls => Tls::Wrapper(tls_parameters(smtp)?),
            Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(smtp.host.as_str())
            .port(smtp.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(smtp.timeout_s)))
            .pool_config(PoolConfig::new().max_size(1));
        if let (Some(username), Some(password)) = (&smtp.username, password) {
            builder = builder.credentials(Credentials::new(username.clone(), password));
        }
        Ok(SmtpRelay {
            transport: builder.build(),
        })
    }
}

/// True when the error comes from the TLS layer under the connection (rustls reports a
/// certificate it does not trust as invalid data): another try would fail the same way.
fn is_tls_failure(error: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::InvalidData;
        }
        source = e.source();
    }
    false
}

fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    let reason = crate::text::one_line(&error.to_string());
    if error.is_permanent() || error.is_tls() || error.is_client() || is_tls_failure(error) {
        SendError::Permanent(reason)
    } else {
        // 4xx, timeouts, connections refused or lost, replies cut short.
        SendError::Transient(reason)
    }
}

impl Relay for SmtpRelay {
    fn send(&self, from: &str, to: &str, message: &[u8]) -> Result<(), SendError> {
        let address = |text: &str| {
            text.parse::<Address>()
                .map_err(|e| SendError::Permanent(format!("\"{text}\" is not an address: {e}")))
        };
        let envelope = Envelope::new(Some(address(from)?), vec![address(to)?])
            .map_err(|e| SendError::Permanent(e.to_string()))?;
        self.transport
            .send_raw(&envelope, message)
            .map(|_| ())
            .map_err(|e| classify(&e))
    }
}

impl Drop for SmtpRelay {
    fn drop(&mut self) {
        self.transport.shutdown();
    }
}
