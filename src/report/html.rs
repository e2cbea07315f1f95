//! `X-summary.html`: the e-mail-safe HTML summary. This module renders the view model of
//! display-ready strings ([`SummaryView`], from `report::view`) with Tera templates:
//! the built-in ones in `templates/` (compiled into the binary), each overridable by name from
//! `--templates DIR`. The templates hold layout only; every figure arrives formatted.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, Tera};

use super::view::SummaryView;

/// The page template; it includes the partials.
pub const PAGE: &str = "summary.html";

/// The built-in templates by name, compiled in so the binary works from any folder.
pub const BUILTIN_TEMPLATES: [(&str, &str); 8] = [
    ("summary.html", include_str!("../../templates/summary.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("header.html", include_str!("../../templates/header.html")),
    (
        "kgi_card.html",
        include_str!("../../templates/kgi_card.html"),
    ),
    (
        "priorities.html",
        include_str!("../../templates/priorities.html"),
    ),
    ("tree.html", include_str!("../../templates/tree.html")),
    (
        "findings.html",
        include_str!("../../templates/findings.html"),
    ),
    ("footer.html", include_str!("../../templates/footer.html")),
];

/// Template files must end in this, so that Tera escapes what they print.
pub const TEMPLATE_SUFFIX: &str = ".html";

/// The parsed templates of a run: the user's overrides, and the built-ins for every name the
/// user's folder lacks. Built once per run and shared by every input.
#[derive(Clone)]
pub struct Templates {
    tera: Arc<Tera>,
    /// Names of the templates read from `--templates DIR`, sorted.
    overridden: Vec<String>,
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Templates")
            .field("overridden", &self.overridden)
            .finish_non_exhaustive()
    }
}

impl Default for Templates {
    /// The built-in templates (a unit test proves they parse; should they not, rendering
    /// reports the error instead of panicking).
    fn default() -> Self {
        Templates::builtin().unwrap_or_else(|_| Templates {
            tera: Arc::new(new_tera()),
            overridden: Vec::new(),
        })
    }
}

/// A Tera instance that escapes every template, whatever its name.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    // Every name ends with "": spreadsheet text is escaped even if a template were named
    // without `.html`. Loading refuses such names anyway; this is the second lock.
    tera.autoescape_on(vec![""]);
    tera
}

impl Templates {
    /// The built-in templates only.
    pub fn builtin() -> Result<Templates, String> {
        Templates::load(None)
    }

    /// The templates of a run: every `*.html` file of `dir` by its file name, then the
    /// built-ins for the names it lacks. Errors name the offending file.
    pub fn load(dir: Option<&Path>) -> Result<Templates, String> {
        let user = match dir {
            Some(dir) => read_template_dir(dir)?,
            None => Vec::new(),
        };
        let mut all: Vec<(String, String)> = user
            .iter()
            .map(|t| (t.name.clone(), t.content.clone()))
            .collect();
        for (name, content) in BUILTIN_TEMPLATES {
            if !user.iter().any(|t| t.name == name) {
                all.push((name.to_string(), content.to_string()));
            }
        }
        let mut tera = new_tera();
        if let Err(error) = tera.add_raw_templates(all.iter().map(|(n, c)| (n, c))) {
            return Err(blame_template(&user, &error));
        }
        let overridden: Vec<String> = user.into_iter().map(|t| t.name).collect();
        Ok(Templates {
            tera: Arc::new(tera),
            overridden,
        })
    }

    /// Names of the templates taken from the user's folder.
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }

    /// Render a view model with the page template.
    pub fn render_view(&self, view: &SummaryView) -> Result<String, String> {
        let context = Context::from_serialize(view).map_err(|e| error_chain(&e))?;
        self.tera
            .render(PAGE, &context)
            .map_err(|e| format!("template {PAGE}: {}", error_chain(&e)))
    }
}

/// One template read from the user's folder.
struct UserTemplate {
    name: String,
    path: PathBuf,
    content: String,
}

/// Read the `*.html` files of `dir` (not its sub-folders). A file that looks like a template
/// meant to override a built-in (`summary.htm`, `tree.tera`) but does not end in `.html` is
/// refused: it would be ignored, or worse, rendered unescaped.
fn read_template_dir(dir: &Path) -> Result<Vec<UserTemplate>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("--templates {}: cannot read the folder: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut templates = Vec::new();
    for path in paths {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if !name.ends_with(TEMPLATE_SUFFIX) {
            let stem = name.split('.').next().unwrap_or_default();
            if let Some((builtin, _)) = BUILTIN_TEMPLATES
                .iter()
                .find(|(b, _)| b.strip_suffix(TEMPLATE_SUFFIX) == Some(stem))
            {
                return Err(format!(
                    "template {}: template files must end in {TEMPLATE_SUFFIX} (so that \
                     spreadsheet text is HTML-escaped); rename it to {builtin}",
                    path.display()
                ));
            }
            continue;
        }
        let content = std::fs::read_to_string(&path)
            .map_err(|e| format!("template {}: cannot read: {e}", path.display()))?;
        templates.push(UserTemplate {
            name,
            path,
            content,
        });
    }
    Ok(templates)
}

/// Name the user's file that breaks the template set: each is tried with the built-ins alone.
fn blame_template(user: &[UserTemplate], error: &tera::Error) -> String {
    for template in user {
        let mut tera = new_tera();
        let alone = std::iter::once((template.name.as_str(), template.content.as_str())).chain(
            BUILTIN_TEMPLATES
                .iter()
                .filter(|(name, _)| *name != template.name)
                .copied(),
        );
        if let Err(e) = tera.add_raw_templates(alone) {
            return format!("template {}: {}", template.path.display(), error_chain(&e));
        }
    }
    match user.first().and_then(|t| t.path.parent()) {
        Some(dir) => format!("templates in {}: {}", dir.display(), error_chain(error)),
        None => format!("built-in templates: {}", error_chain(error)),
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_parse() {
        let templates = Templates::builtin();
        assert!(templates.is_ok(), "{:?}", templates.err());
    }

    #[test]
    fn every_template_is_escaped_whatever_its_name() {
        let mut tera = new_tera();
        let added = tera.add_raw_templates([("plain.txt", "{{ x }}"), ("page.html", "{{ x }}")]);
        assert!(added.is_ok(), "{added:?}");
        let mut context = Context::new();
        context.insert("x", "<script>alert(1)</script>");
        for name in ["plain.txt", "page.html"] {
            assert_eq!(
                tera.render(name, &context).ok().as_deref(),
                Some("&lt;script&gt;alert(1)&lt;/script&gt;")
            );
        }
    }
}
