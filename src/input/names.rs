//! The English and Japanese names accepted for sheets and columns, plus the extra names from
//! the config, all matched through [`normalize_key`] (NFKC, case- and space-insensitive).

use std::collections::HashMap;

use crate::config::Settings;
use crate::contract::{columns_of, Column, SheetRole};
use crate::text::normalize_key;

/// Normalised names of sheets and columns, built once per run from the built-ins and config.
#[derive(Debug, Clone)]
pub struct NameTable {
    sheets: Vec<(SheetRole, Vec<String>)>,
    /// The config's own sheet names (`names.sheets`), normalised: they win over built-ins.
    own_sheets: Vec<(SheetRole, Vec<String>)>,
    columns: Vec<(SheetRole, Column, Vec<String>)>,
    /// The config's own column names as written, by field key, for messages.
    extra_columns: HashMap<&'static str, Vec<String>>,
}

impl NameTable {
    pub fn new(settings: &Settings) -> Self {
        let roles = SheetRole::ALL;
        let sheets = roles
            .iter()
            .map(|role| {
                let names = role
                    .names()
                    .iter()
                    .map(|n| n.to_string())
                    .chain(settings.extra_sheet_names(role.key()).iter().cloned())
                    .map(|n| normalize_key(&n))
                    .collect();
                (*role, names)
            })
            .collect();
        let own_sheets = roles
            .iter()
            .map(|role| {
                let names = settings
                    .extra_sheet_names(role.key())
                    .iter()
                    .map(|n| normalize_key(n))
                    .collect();
                (*role, names)
            })
            .collect();
        let mut columns = Vec::new();
        for role in roles {
            for column in columns_of(role) {
                let names = column
                    .names_on(role)
                    .map(|n| n.to_string())
                    .chain(settings.extra_column_names(column.key()).iter().cloned())
                    .map(|n| normalize_key(&n))
                    .collect();
                columns.push((role, column, names));
            }
        }
        let extra_columns = crate::contract::FIELDS
            .iter()
            .map(|spec| (spec.key, settings.extra_column_names(spec.key).to_vec()))
            .filter(|(_, names)| !names.is_empty())
            .collect();
        NameTable {
            sheets,
            own_sheets,
            columns,
            extra_columns,
        }
    }

    pub fn sheet_matches(&self, role: SheetRole, sheet_name: &str) -> bool {
        let key = normalize_key(sheet_name);
        self.sheets
            .iter()
            .any(|(r, names)| *r == role && names.contains(&key))
    }

    /// True when the config's `names.sheets` names this sheet for the role: such a sheet is
    /// taken before one whose name is a built-in (a `KPI` dashboard beside the list mapped).
    pub fn is_own_sheet_name(&self, role: SheetRole, sheet_name: &str) -> bool {
        let key = normalize_key(sheet_name);
        self.own_sheets
            .iter()
            .any(|(r, names)| *r == role && names.contains(&key))
    }

    /// The accepted names of a sheet, for messages.
    pub fn sheet_names_for_message(&self, role: SheetRole, settings: &Settings) -> String {
        role.names()
            .iter()
            .map(|s| s.to_string())
            .chain(settings.extra_sheet_names(role.key()).iter().cloned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Which column a header cell names on a sheet, if any. A trailing note in brackets
    /// (`Target (JPY)`, `目標値(円)`) and a required-mark `*` are ignored.
    pub fn column_for_header(&self, role: SheetRole, header: &str) -> Option<Column> {
        let key = normalize_key(header);
        if key.is_empty() {
            return None;
        }
        let stripped = strip_note(&key);
        let candidates = [key.as_str(), stripped];
        self.columns
            .iter()
            .filter(|(r, _, _)| *r == role)
            .find(|(_, _, names)| candidates.iter().any(|c| names.iter().any(|n| n == c)))
            .map(|(_, column, _)| *column)
    }

    /// The header names accepted for each of the given columns on a sheet, the config's
    /// included, for messages.
    pub fn accepted_names(&self, role: SheetRole, columns: &[Column]) -> Vec<(Column, String)> {
        columns
            .iter()
            .map(|c| {
                let names: Vec<String> = c
                    .names_on(role)
                    .map(str::to_string)
                    .chain(
                        self.extra_columns
                            .get(c.key())
                            .into_iter()
                            .flatten()
                            .cloned(),
                    )
                    .collect();
                (*c, names.join(" / "))
            })
            .collect()
    }
}

/// `target(jpy)` -> `target`, `目標値(円)` -> `目標値`, `id*` -> `id`.
fn strip_note(key: &str) -> &str {
    let key = key.trim_end_matches(['*', '※']);
    if key.ends_with(')') || key.ends_with(']') {
        if let Some(open) = key.rfind(['(', '[']) {
            if open > 0 {
                return &key[..open];
            }
        }
    }
    key
}

#[cfg(test)]
mod tests;
