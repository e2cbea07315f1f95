//! The shape of the crate: dependencies run one way. Among the top-level modules, and among
//! the files of any one folder (a module's own file counting as one node beside its
//! children), no module may depend on another that depends back on it. Read from the
//! sources: `crate::a::b`, `super::x`, `self::x` and a child's name used in its parent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module path: `["report", "xlsx", "kpis"]`; `[]` is the crate root.
type ModPath = Vec<String>;

/// The name a folder's own file goes by in its folder's graph.
const SELF: &str = "(mod)";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/report/xlsx/kpis.rs` -> report/xlsx/kpis; `src/report/mod.rs` -> report.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if !matches!(stem.as_str(), "mod" | "lib" | "main") {
            parts.push(stem);
        }
    }
    parts
}

/// The source without comments and without the unit tests (`#[cfg(test)]` to the end: the
/// crate keeps them last in each file).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path in the code that starts with `crate`, `super` or `self`, or with one of
/// `children` (a child module of the file's own module), expanded over `use` braces:
/// `use super::{a, b::c}` gives `super::a` and `super::b::c`.
fn paths_in(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':';
        if !starts_word || !is_ident(chars[i]) {
            i += 1;
            continue;
        }
        let (segments, end) = parse_path(&chars, i);
        if segments.len() > 1 || segments.first().is_some_and(|s| s.starts_with('{')) {
            let first = segments[0].as_str();
            if matches!(first, "crate" | "super" | "self") || children.contains(first) {
                expand(&segments, &[], &mut paths);
            }
        }
        i = end.max(i + 1);
    }
    paths
}

/// A path at `start`: identifiers separated by `::`, possibly ending in a `{...}` group,
/// kept as one segment starting with `{`.
fn parse_path(chars: &[char], start: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut i = start;
    loop {
        if chars.get(i) == Some(&'{') {
            let mut depth = 0;
            let begin = i;
            while i < chars.len() {
                match chars[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            segments.push(chars[begin..i].iter().collect());
            return (segments, i);
        }
        let begin = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if begin == i {
            return (segments, i);
        }
        segments.push(chars[begin..i].iter().collect());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            return (segments, i);
        }
    }
}

fn expand(segments: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    let Some(last) = segments.last() else {
        return;
    };
    let mut base = prefix.to_vec();
    if let Some(group) = last.strip_prefix('{') {
        base.extend(segments[..segments.len() - 1].iter().cloned());
        let inner = group.strip_suffix('}').unwrap_or(group);
        for item in split_top_level(inner) {
            let chars: Vec<char> = item.trim().chars().collect();
            let (inner_segments, _) = parse_path(&chars, 0);
            if inner_segments.is_empty() {
                out.push(base.clone());
            } else {
                expand(&inner_segments, &base, out);
            }
        }
    } else {
        base.extend(segments.iter().cloned());
        out.push(base);
    }
}

fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
}

/// The module a path refers to: the longest prefix of it that is a module.
fn resolve(from: &ModPath, path: &[String], modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let mut absolute: ModPath = match path.first()?.as_str() {
        "crate" => Vec::new(),
        "super" | "self" => from.clone(),
        _ => from.clone(),
    };
    let mut rest = match path[0].as_str() {
        "crate" | "self" => &path[1..],
        "super" => {
            absolute.pop();
            let mut rest = &path[1..];
            while rest.first().map(String::as_str) == Some("super") {
                absolute.pop();
                rest = &rest[1..];
            }
            rest
        }
        _ => path,
    };
    while let Some(segment) = rest.first() {
        let mut next = absolute.clone();
        next.push(segment.clone());
        if !modules.contains(&next) {
            break;
        }
        absolute = next;
        rest = &rest[1..];
    }
    Some(absolute)
}

/// Edges per folder: folder -> (from, to) between its children and its own file.
fn edges(src: &Path) -> BTreeMap<ModPath, BTreeSet<(String, String)>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.retain(|f| f.file_name().is_some_and(|n| n != "tests.rs") && !f.ends_with("main.rs"));
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in &files {
        let from = module_of(src, file);
        let children: BTreeSet<String> = modules
            .iter()
            .filter(|m| m.len() == from.len() + 1 && m.starts_with(&from))
            .filter_map(|m| m.last().cloned())
            .collect();
        let text = fs::read_to_string(file).unwrap_or_default();
        for path in paths_in(&code_of(&text), &children) {
            let Some(to) = resolve(&from, &path, &modules) else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            let folder: ModPath = from[..common].to_vec();
            let node = |m: &ModPath| m.get(common).cloned().unwrap_or_else(|| SELF.to_string());
            let (a, b) = (node(&from), node(&to));
            if a != b {
                graph.entry(folder).or_default().insert((a, b));
            }
        }
    }
    graph
}

/// A cycle in a graph, as the nodes along it, if there is one.
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let mut state: BTreeMap<&String, u8> = BTreeMap::new();
    fn visit<'a>(
        node: &'a String,
        edges: &'a BTreeSet<(String, String)>,
        state: &mut BTreeMap<&'a String, u8>,
        stack: &mut Vec<&'a String>,
    ) -> Option<Vec<String>> {
        state.insert(node, 1);
        stack.push(node);
        for (_, next) in edges.iter().filter(|(a, _)| a == node) {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        stack[start..].iter().map(|s| s.to_string()).collect();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, edges, state, stack) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node, 2);
        None
    }
    for node in nodes {
        if state.get(node).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(node, edges, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn module_dependencies_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = edges(&src);
    let top = graph.get(&Vec::new()).cloned().unwrap_or_default();
    assert!(
        top.iter().any(|(a, b)| a == "app" && b == "report"),
        "the scan found no edge app -> report: it reads nothing"
    );
    let cycles: Vec<String> = graph
        .iter()
        .filter_map(|(folder, edges)| {
            find_cycle(edges).map(|cycle| {
                let place = if folder.is_empty() {
                    "src".to_string()
                } else {
                    format!("src/{}", folder.join("/"))
                };
                format!("{place}: {}", cycle.join(" -> "))
            })
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "module cycles ({SELF} is a folder's own file):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_scan_sees_a_cycle_when_there_is_one() {
    let mut edges = BTreeSet::new();
    edges.insert(("a".to_string(), "b".to_string()));
    edges.insert(("b".to_string(), "c".to_string()));
    assert_eq!(find_cycle(&edges), None);
    edges.insert(("c".to_string(), "a".to_string()));
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let children = BTreeSet::from(["sheet".to_string()]);
    let paths = paths_in(
        "use super::{formats::Formats, sheet};\nlet x = crate::analysis::figures(); sheet::new();",
        &children,
    );
    assert!(paths.contains(&vec!["super".into(), "formats".into(), "Formats".into()]));
    assert!(paths.contains(&vec!["super".into(), "sheet".into()]));
    assert!(paths.contains(&vec!["crate".into(), "analysis".into(), "figures".into()]));
    assert!(paths.contains(&vec!["sheet".into(), "new".into()]));
}
