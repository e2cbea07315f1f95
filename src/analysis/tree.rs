//! The KGI/KPI tree: structural errors (duplicate ids, unknown parents, cycles) are found
//! here, invalid rows and everything below them are set aside, and what remains is indexed
//! as parent/children links in a stable pre-order.

use std::collections::{HashMap, HashSet};

use crate::findings::{Finding, Problem};
use crate::model::{Field, Kind, Metric};

/// The valid metrics as a forest, by index into `metrics`.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub metrics: Vec<Metric>,
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    /// Pre-order: each root (KGIs first, in sheet order) followed by its subtree.
    pub order: Vec<usize>,
    /// 0 for roots.
    pub depth: Vec<usize>,
}

impl Tree {
    /// Index valid metrics (ids unique, parents present, no cycles).
    pub fn build(metrics: Vec<Metric>) -> Tree {
        let index: HashMap<&str, usize> = metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let parent: Vec<Option<usize>> = metrics
            .iter()
            .map(|m| m.parent.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut children = vec![Vec::new(); metrics.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut roots: Vec<usize> = (0..metrics.len())
            .filter(|i| parent[*i].is_none())
            .collect();
        // KGIs first, then unlinked KPIs, each group in sheet order.
        roots.sort_by_key(|i| (metrics[*i].kind != Kind::Kgi, *i));
        let mut order = Vec::with_capacity(metrics.len());
        let mut depth = vec![0; metrics.len()];
        let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|r| (*r, 0)).collect();
        while let Some((node, d)) = stack.pop() {
            order.push(node);
            depth[node] = d;
            for child in children[node].iter().rev() {
                stack.push((*child, d + 1));
            }
        }
        Tree {
            metrics,
            parent,
            children,
            order,
            depth,
        }
    }

    /// The root of `i`'s tree.
    pub fn root(&self, mut i: usize) -> usize {
        while let Some(p) = self.parent[i] {
            i = p;
        }
        i
    }
}

/// Set aside duplicate ids (E01), unknown parents (E02) and cycles (E03), and every metric
/// below a row that is invalid (including the rows the reader could not read, `invalid_ids`).
/// Returns the metrics that remain and the findings.
pub fn remove_structural_errors(
    metrics: Vec<Metric>,
    invalid_ids: &[String],
) -> (Vec<Metric>, Vec<Finding>) {
    let mut findings = Vec::new();
    let invalid: HashSet<&str> = invalid_ids.iter().map(String::as_str).collect();

    // E01: the first row with an id keeps it.
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(metrics.len());
    let mut duplicate = vec![false; metrics.len()];
    for (i, metric) in metrics.iter().enumerate() {
        if let Some(&f) = first.get(metric.id.as_str()) {
            findings.push(Finding::new(
                Problem::DuplicateId {
                    id: metric.id.clone(),
                    first: metrics[f].cell_of(Field::Id).reference(),
                },
                Some(&metric.id),
                Some(metric.cell_of(Field::Id)),
            ));
            duplicate[i] = true;
        } else {
            first.insert(&metric.id, i);
        }
    }
    drop(first);
    let kept: Vec<Metric> = metrics
        .into_iter()
        .zip(duplicate)
        .filter_map(|(m, duplicate)| (!duplicate).then_some(m))
        .collect();

    // E02: a parent that is neither a row nor an unreadable row.
    let ids: HashSet<&str> = kept.iter().map(|m| m.id.as_str()).collect();
    let mut dropped: HashSet<String> = HashSet::new();
    for metric in &kept {
        if let Some(parent) = &metric.parent {
            if !ids.contains(parent.as_str()) {
                if !invalid.contains(parent.as_str()) {
                    findings.push(Finding::new(
                        Problem::UnknownParent {
                            parent: parent.clone(),
                        },
                        Some(&metric.id),
                        Some(metric.cell_of(Field::Parent)),
                    ));
                }
                dropped.insert(metric.id.clone());
            }
        }
    }

    // E03: follow parents; a walk that comes back to itself is a cycle.
    let index: HashMap<&str, usize> = kept
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let parent_of = |i: usize| -> Option<usize> {
        kept[i]
            .parent
            .as_deref()
            .and_then(|p| index.get(p).copied())
    };
    let mut state = vec![0u8; kept.len()]; // 0 unseen, 1 on the current walk, 2 done
    for start in 0..kept.len() {
        let mut walk = Vec::new();
        let mut node = Some(start);
        while let Some(i) = node {
            match state[i] {
                2 => break,
                1 => {
                    let pos = walk.iter().position(|w| *w == i).unwrap_or(0);
                    let cycle = &walk[pos..];
                    let first = cycle.iter().copied().min().unwrap_or(i);
                    let mut path: Vec<String> = Vec::new();
                    // Show the cycle from its first row in sheet order, child -> parent.
                    let rot = cycle.iter().position(|c| *c == first).unwrap_or(0);
                    for k in 0..=cycle.len() {
                        path.push(kept[cycle[(rot + k) % cycle.len()]].id.clone());
                    }
                    findings.push(Finding::new(
                        Problem::Cycle { path },
                        Some(&kept[first].id),
                        Some(kept[first].cell_of(Field::Parent)),
                    ));
                    for c in cycle {
                        dropped.insert(kept[*c].id.clone());
                    }
                    break;
                }
                _ => {
                    state[i] = 1;
                    walk.push(i);
                    node = parent_of(i);
                }
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }

    let remaining = drop_with_descendants(kept, &dropped);
    (remaining, findings)
}

/// Remove the metrics whose id is in `dropped`, and every metric whose parent is not in the
/// result (below a dropped or unreadable row).
pub fn drop_with_descendants(metrics: Vec<Metric>, dropped: &HashSet<String>) -> Vec<Metric> {
    let by_id: HashMap<&str, &Metric> = metrics.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut memo: HashMap<&str, bool> = HashMap::with_capacity(metrics.len());
    let mut keep_flags = Vec::with_capacity(metrics.len());
    for metric in &metrics {
        // Walk up until a known answer, a root, or a missing parent.
        let mut chain: Vec<&str> = Vec::new();
        let mut current = Some(metric);
        let mut answer = true;
        let mut guard = 0usize;
        while let Some(m) = current {
            if let Some(&known) = memo.get(m.id.as_str()) {
                answer = known;
                break;
            }
            if dropped.contains(&m.id) || guard > metrics.len() {
                answer = false;
                chain.push(&m.id);
                break;
            }
            chain.push(&m.id);
            guard += 1;
            current = match &m.parent {
                None => break,
                Some(p) => match by_id.get(p.as_str()) {
                    Some(parent) => Some(*parent),
                    None => {
                        answer = false;
                        break;
                    }
                },
            };
        }
        for id in chain {
            memo.insert(id, answer);
        }
        keep_flags.push(memo.get(metric.id.as_str()).copied().unwrap_or(answer));
    }
    metrics
        .into_iter()
        .zip(keep_flags)
        .filter_map(|(m, keep)| keep.then_some(m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Code;

    fn metric(id: &str, parent: Option<&str>) -> Metric {
        let kind = if parent.is_some() {
            Kind::Kpi
        } else {
            Kind::Kgi
        };
        let mut m = Metric::new(id, id, kind, 1.0);
        m.parent = parent.map(str::to_string);
        m
    }

    fn codes(findings: &[Finding]) -> Vec<Code> {
        findings.iter().map(Finding::code).collect()
    }

    #[test]
    fn tree_order_and_depth() {
        let tree = Tree::build(vec![
            metric("G", None),
            metric("K1", Some("G")),
            metric("K2", Some("G")),
            metric("D1", Some("K1")),
        ]);
        let ids: Vec<_> = tree
            .order
            .iter()
            .map(|i| tree.metrics[*i].id.as_str())
            .collect();
        assert_eq!(ids, ["G", "K1", "D1", "K2"]);
        assert_eq!(tree.depth[3], 2);
        assert_eq!(tree.root(3), 0);
    }

    #[test]
    fn duplicate_unknown_parent_and_cycle() {
        let (kept, findings) = remove_structural_errors(
            vec![
                metric("G", None),
                metric("G", None),
                metric("K1", Some("NOPE")),
                metric("A", Some("B")),
                metric("B", Some("A")),
                metric("C", Some("A")),
                metric("K2", Some("G")),
            ],
            &[],
        );
        assert_eq!(codes(&findings), [Code::E01, Code::E02, Code::E03]);
        let ids: Vec<_> = kept.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["G", "K2"]);
        match &findings[2].problem {
            Problem::Cycle { path } => assert_eq!(path, &["A", "B", "A"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn children_of_unreadable_rows_are_set_aside_without_e02() {
        let (kept, findings) = remove_structural_errors(
            vec![metric("K1", Some("BAD")), metric("D1", Some("K1"))],
            &["BAD".to_string()],
        );
        assert!(findings.is_empty());
        assert!(kept.is_empty());
    }
}
