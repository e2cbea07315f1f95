//! Unit tests of `config::smtp`.

use crate::config::Settings;
use crate::model::Lang;

use super::*;

#[test]
fn defaults_follow_the_security() {
    let settings = Settings::parse("[smtp]\nhost = \"mail\"\nsecurity = \"tls\"\n").unwrap();
    assert_eq!(settings.smtp.port, 465);
    assert_eq!(settings.smtp.password_env, DEFAULT_PASSWORD_ENV);
    assert_eq!(settings.smtp.retries, 3);
    let settings = Settings::parse("[smtp]\nhost = \"mail\"\nport = 2525\n").unwrap();
    assert_eq!(settings.smtp.port, 2525);
    assert_eq!(settings.smtp.security, Security::Starttls);
}

#[test]
fn a_password_in_the_file_is_refused_without_showing_it() {
    let error = Settings::parse("[smtp]\nhost = \"mail\"\npassword = \"hunter2\"\n")
        .unwrap_err()
        .text(Lang::En);
    assert!(error.contains("password_env"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
    assert!(Settings::parse("[smtp]\nsecurity = \"ssl\"\n").is_err());
    assert!(Settings::parse("[smtp]\nhots = \"mail\"\n").is_err());
}

#[test]
fn the_example_config_documents_the_defaults() {
    let example = include_str!("../../../kpi-report.example.toml");
    let settings = Settings::parse(example).unwrap();
    assert_eq!(settings.smtp, Smtp::default());
    assert_eq!(settings.email.burst, None);
    assert!(settings.email.owners.is_empty());
}
