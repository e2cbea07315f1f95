//! Per-owner reports (`--burst owner`, SPEC section 10): the part of an analysis that is one
//! owner's, the owner's name made safe for a file name, and the owner's addresses from the
//! config's `[email.owners]` and the workbook's Recipients sheet. Pure: no files.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::analysis::{Analysis, MetricReport};
use crate::config::mailbox::parse_mailbox;
use crate::config::{Email, Mailbox};
use crate::input::recipients::RecipientRow;
use crate::model::Lang;
use crate::text::normalize_key;

/// The owners of an analysis's metrics, trimmed, in the order they first appear (tree order).
pub fn owners(analysis: &Analysis) -> Vec<String> {
    let mut seen = HashSet::new();
    analysis
        .metrics
        .iter()
        .filter_map(|m| m.metric.owner.as_deref().map(str::trim))
        .filter(|o| !o.is_empty())
        .filter(|o| seen.insert(normalize_key(o)))
        .map(str::to_string)
        .collect()
}

fn is_owner(metric: &MetricReport, key: &str) -> bool {
    metric
        .metric
        .owner
        .as_deref()
        .is_some_and(|o| normalize_key(o.trim()) == key)
}

/// The part of `analysis` that is `owner`'s: their metrics and everything below them, the
/// parents above them up to the KGI (for context), the priorities among their metrics
/// (ranked again from 1) and the findings about their metrics. The figures are those of the
/// whole analysis: nothing is computed again; the links between metrics (indices into
/// `metrics`) are renumbered for the part.
pub fn owner_view(analysis: &Analysis, owner: &str) -> Analysis {
    let key = normalize_key(owner.trim());
    let metrics = &analysis.metrics;
    let index: HashMap<&str, usize> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.metric.id.as_str(), i))
        .collect();
    let parent_of = |i: usize| {
        metrics[i]
            .metric
            .parent
            .as_deref()
            .and_then(|p| index.get(p).copied())
    };

    // Their own metrics and everything below them.
    let mut theirs: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = (0..metrics.len())
        .filter(|i| is_owner(&metrics[*i], &key))
        .collect();
    while let Some(i) = stack.pop() {
        if theirs.insert(i) {
            stack.extend(metrics[i].children.iter().copied());
        }
    }
    // The parents above them, for context.
    let mut shown: HashSet<usize> = theirs.clone();
    for &i in &theirs {
        let mut parent = parent_of(i);
        while let Some(p) = parent {
            if !shown.insert(p) {
                break;
            }
            parent = parent_of(p);
        }
    }

    // Old index -> new index, in the analysis's (tree) order.
    let kept: Vec<usize> = (0..metrics.len()).filter(|i| shown.contains(i)).collect();
    let renumber: HashMap<usize, usize> = kept
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new))
        .collect();
    let part = kept
        .iter()
        .map(|&old| {
            let mut m = metrics[old].clone();
            m.kgi = m.kgi.and_then(|k| renumber.get(&k).copied());
            m.children = m
                .children
                .iter()
                .filter_map(|c| renumber.get(c).copied())
                .collect();
            m
        })
        .collect();
    let priorities = analysis
        .priorities
        .iter()
        .filter(|p| theirs.contains(&p.metric))
        .filter_map(|p| {
            let mut p = p.clone();
            p.metric = *renumber.get(&p.metric)?;
            Some(p)
        })
        .enumerate()
        .map(|(i, mut p)| {
            p.rank = i + 1;
            p
        })
        .collect();
    let their_ids: HashSet<&str> = theirs
        .iter()
        .map(|i| metrics[*i].metric.id.as_str())
        .collect();
    let findings = analysis
        .findings
        .iter()
        .filter(|f| f.id.as_deref().is_some_and(|id| their_ids.contains(id)))
        .cloned()
        .collect();
    Analysis {
        metrics: part,
        priorities,
        findings,
        as_of: analysis.as_of,
        previous_as_of: analysis.previous_as_of,
    }
}

/// The owner's name as a part of a file name: characters Windows or Unix refuse in names
/// (`\ / : * ? " < > |`, control characters) become `_`, white space becomes `_`, trailing
/// dots are dropped (Windows drops them), and at most 60 characters are kept. Japanese
/// names stay as they are.
pub fn safe_file_part(owner: &str) -> String {
    let mut safe: String = owner
        .trim()
        .chars()
        .map(|c| match c {
            '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
        .take(60)
        .collect();
    while safe.ends_with('.') {
        safe.pop();
    }
    if safe.is_empty() || safe.chars().all(|c| c == '_') || safe == ".." {
        safe = "owner".to_string();
    }
    safe
}

/// The file parts of several owners, made unique (`佐藤`, `a_b`, `a_b-2`): two names that
/// differ only by characters made safe still get files of their own.
pub fn file_parts(owners: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    owners
        .iter()
        .map(|owner| {
            let base = safe_file_part(owner);
            let mut part = base.clone();
            let mut n = 2;
            while !used.insert(part.to_lowercase()) {
                part = format!("{base}-{n}");
                n += 1;
            }
            part
        })
        .collect()
}

/// Every owner's addresses: `[email.owners]` first, then the Recipients sheet's rows (an
/// address given twice is kept once). Owner names match insensitively (case, width,
/// spaces). The second value lists the problems found in the sheet, one line each, naming
/// the cell.
pub fn addresses(
    email: &Email,
    rows: &[RecipientRow],
    lang: Lang,
) -> (BTreeMap<String, Vec<Mailbox>>, Vec<String>) {
    let mut by_owner: BTreeMap<String, Vec<Mailbox>> = BTreeMap::new();
    let mut add = |owner: &str, mailbox: Mailbox| {
        let list = by_owner.entry(normalize_key(owner)).or_default();
        if !list
            .iter()
            .any(|m| m.address.eq_ignore_ascii_case(&mailbox.address))
        {
            list.push(mailbox);
        }
    };
    for (owner, mailboxes) in &email.owners {
        for mailbox in mailboxes {
            add(owner, mailbox.clone());
        }
    }
    let mut problems = Vec::new();
    for row in rows {
        if row.owner.is_empty() || row.address.is_empty() {
            continue;
        }
        match parse_mailbox(&row.address) {
            Ok(mailbox) => add(&row.owner, mailbox),
            Err(e) => problems.push(match lang {
                Lang::En => format!(
                    "{}: warning: \"{}\" is not an e-mail address for {}: {e}; the row is not used",
                    row.location.reference(),
                    crate::text::quoted(&row.address),
                    crate::text::quoted(&row.owner)
                ),
                Lang::Ja => format!(
                    "{}: 警告: 「{}」は{}のメールアドレスとして読めません（{e}）。この行は使いません",
                    row.location.reference(),
                    crate::text::quoted(&row.address),
                    crate::text::quoted(&row.owner)
                ),
            }),
        }
    }
    (by_owner, problems)
}

/// The addresses of one owner from [`addresses`]' map.
pub fn addresses_of<'a>(map: &'a BTreeMap<String, Vec<Mailbox>>, owner: &str) -> &'a [Mailbox] {
    map.get(&normalize_key(owner.trim()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests;
