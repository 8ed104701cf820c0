//! Docs cannot drift from the schema: every attribute and block of every schema the provider
//! serves (provider, resources, data sources, ephemeral and list resources, actions, state
//! stores) appears, in backticks, in its page under docs/, and every function's parameters
//! in its page. Each page is in the registry's format: front matter (`page_title`,
//! `subcategory`, `description`), the standard headings, every argument listed under
//! `## Argument Reference` as `* `name` - (Required|Optional, ...)` as the schema has it
//! (computed, sensitive and write-only marked), every computed-only attribute under
//! `## Attribute Reference`. The schemas are read over the plugin protocol from the real
//! provider, so anything added to the provider is covered without touching this test.
//!
//! References resolve too: a page of docs and its anchor named in a code comment, and a
//! relative link in the docs or the README, lead to an existing file and heading; no comment or
//! page cites a document that is not in the repository.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alicloud_provider::AlicloudProvider;
use chrono::Duration;
use grpc::client_cert::ClientCert;
use test_support::grpc;
use tfplug::server::proto::tfplugin6 as pb;

/// The page folders of schema kinds that are not resources: no `## Import` section.
const NON_RESOURCE_FOLDERS: [&str; 5] = [
    "data-sources",
    "ephemeral-resources",
    "list-resources",
    "state-stores",
    "actions",
];

/// What a page documents, which decides the headings it must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Provider,
    Resource,
    /// A data source, action, ephemeral or list resource, state store.
    Other,
}

impl Kind {
    /// The `## ` headings the page must have, and whether it may have `## Import`.
    fn headings(self) -> (&'static [&'static str], bool) {
        match self {
            Kind::Provider => (&["Example Usage", "Argument Reference"], false),
            Kind::Resource => (
                &[
                    "Example Usage",
                    "Argument Reference",
                    "Attribute Reference",
                    "Import",
                ],
                true,
            ),
            Kind::Other => (
                &["Example Usage", "Argument Reference", "Attribute Reference"],
                false,
            ),
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every name in `block`, nested blocks and their contents included.
fn names(block: &pb::schema::Block, out: &mut Vec<String>) {
    for attribute in &block.attributes {
        out.push(attribute.name.clone());
        if let Some(object) = &attribute.nested_type {
            out.extend(object.attributes.iter().map(|a| a.name.clone()));
        }
    }
    for nested in &block.block_types {
        out.push(nested.type_name.clone());
        if let Some(inner) = &nested.block {
            names(inner, out);
        }
    }
}

/// The page of a type: NAME.md in its folder under docs, the provider's prefix dropped.
fn page(folder: &str, type_name: &str) -> PathBuf {
    let short = type_name.strip_prefix("alicloud_").unwrap_or(type_name);
    root().join("docs").join(folder).join(format!("{short}.md"))
}

fn undocumented(page: &Path, names: &[String]) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(page) else {
        return vec![format!("{} (no such page)", page.display())];
    };
    names
        .iter()
        .filter(|name| !text.contains(&format!("`{name}`")) && !text.contains(&format!("`{name} ")))
        .map(|name| format!("{}: `{name}`", page.display()))
        .collect()
}

/// What is wrong with the page's front matter: it must open the page, between `---` lines,
/// and give `page_title`, `subcategory` and `description` a value.
fn front_matter_problems(text: &str) -> Vec<String> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return vec!["no front matter (the page must start with a `---` line)".into()];
    };
    let Some(end) = rest.find("\n---\n") else {
        return vec!["the front matter is not closed by a `---` line".into()];
    };
    let block = &rest[..end];
    ["page_title", "subcategory", "description"]
        .into_iter()
        .filter(|key| !has_value(block, key))
        .map(|key| format!("the front matter gives no `{key}`"))
        .collect()
}

/// Whether `key:` in a YAML front matter has a value, inline or as an indented block (`|-`).
fn has_value(block: &str, key: &str) -> bool {
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')) else {
            continue;
        };
        return match value.trim() {
            "|" | "|-" | ">" | ">-" => lines
                .next()
                .is_some_and(|next| next.starts_with(' ') && !next.trim().is_empty()),
            inline => !inline.trim_matches('"').trim().is_empty(),
        };
    }
    false
}

/// The page's `## ` sections by title, each with its text up to the next `## ` heading
/// (`### ` subsections included); headings inside code blocks do not count.
fn sections(text: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if let Some(title) = line.strip_prefix("## ").filter(|_| !in_code) {
            found.extend(current.take());
            current = Some((title.trim().to_string(), String::new()));
        } else if let Some((_, body)) = &mut current {
            body.push_str(line);
            body.push('\n');
        }
    }
    found.extend(current);
    found
}

/// The text after `* `name` - ` of the section's top-level list item for `name`, if listed.
fn item<'a>(section: &'a str, name: &str) -> Option<&'a str> {
    let start = format!("* `{name}` - ");
    section.lines().find_map(|line| line.strip_prefix(start.as_str()))
}

/// The lower-cased flags of an item that starts `(Required, string, Sensitive) ...`.
fn flags(rest: &str) -> Vec<String> {
    let Some(inner) = rest.strip_prefix('(') else {
        return Vec::new();
    };
    let mut depth = 0;
    let end = inner
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return true,
                ')' => depth -= 1,
                _ => {}
            }
            false
        })
        .map_or(inner.len(), |(at, _)| at);
    inner[..end]
        .split(',')
        .map(|flag| flag.trim().to_lowercase())
        .collect()
}

/// How the schema has an argument: the flags its listing must show.
struct Marks {
    required: bool,
    /// Optional and computed: the provider fills it in when the configuration leaves it out.
    computed: bool,
    sensitive: bool,
    write_only: bool,
}

impl Marks {
    fn of(attribute: &pb::schema::Attribute) -> Self {
        Marks {
            required: attribute.required,
            computed: attribute.optional && attribute.computed,
            sensitive: attribute.sensitive,
            write_only: attribute.write_only,
        }
    }
}

/// One argument's listing under `## Argument Reference`, held to the schema.
fn argument_problem(arguments: Option<&str>, name: &str, marks: &Marks) -> Vec<String> {
    let required = marks.required;
    let mark = if required { "Required" } else { "Optional" };
    let Some(rest) = arguments.and_then(|section| item(section, name)) else {
        return vec![format!(
            "`{name}` is not listed under `## Argument Reference` as `* `{name}` - ({mark}) ...`"
        )];
    };
    let flags = flags(rest);
    let mut problems = Vec::new();
    match flags.first() {
        Some(first) if *first == mark.to_lowercase() => {}
        Some(first) => problems.push(format!(
            "`{name}` is marked `{first}` but the schema has it {}",
            mark.to_lowercase()
        )),
        None => problems.push(format!("`{name}` has no `({mark})` mark")),
    }
    for (flag, expected) in [
        ("computed", marks.computed),
        ("sensitive", marks.sensitive),
        ("write-only", marks.write_only),
    ] {
        if flags.iter().any(|f| f == flag) != expected {
            let says = if expected { "is" } else { "is not" };
            problems.push(format!(
                "`{name}`: the schema says it {says} {flag}; its flags `({})` must agree",
                flags.join(", ")
            ));
        }
    }
    problems
}

/// Every top-level argument listed with its mark, every computed-only attribute listed under
/// `## Attribute Reference`, each with a description in the schema (what the registry shows).
fn listing_problems(sections: &BTreeMap<String, String>, block: &pb::schema::Block) -> Vec<String> {
    let arguments = sections.get("Argument Reference").map(String::as_str);
    let attributes = sections.get("Attribute Reference").map(String::as_str);
    let mut problems = Vec::new();
    for attribute in &block.attributes {
        let name = &attribute.name;
        if attribute.description.trim().is_empty() {
            problems.push(format!("the schema gives `{name}` no description"));
        }
        if attribute.computed && !attribute.optional && !attribute.required {
            if attributes.and_then(|section| item(section, name)).is_none() {
                problems.push(format!(
                    "`{name}` (computed) is not listed under `## Attribute Reference` as `* `{name}` - ...`"
                ));
            }
            continue;
        }
        problems.extend(argument_problem(arguments, name, &Marks::of(attribute)));
    }
    for nested in &block.block_types {
        if nested
            .block
            .as_ref()
            .is_none_or(|b| b.description.trim().is_empty())
        {
            problems.push(format!("the schema gives `{}` no description", nested.type_name));
        }
        let marks = Marks {
            required: nested.min_items > 0,
            computed: false,
            sensitive: false,
            write_only: false,
        };
        problems.extend(argument_problem(arguments, &nested.type_name, &marks));
    }
    problems
}

/// Everything the registry format asks of one page.
fn format_problems(path: &Path, kind: Kind, block: &pb::schema::Block) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new(); // reported by `undocumented`
    };
    let sections = sections(&text);
    let (required, may_import) = kind.headings();
    let mut problems = front_matter_problems(&text);
    problems.extend(
        required
            .iter()
            .filter(|title| !sections.contains_key(**title))
            .map(|title| format!("no `## {title}` section")),
    );
    if !may_import && sections.contains_key("Import") {
        problems.push("an `## Import` section, but only resources are imported".into());
    }
    problems.extend(listing_problems(&sections, block));
    problems
        .into_iter()
        .map(|problem| format!("{}: {problem}", path.display()))
        .collect()
}

/// Pages under a schema folder that document nothing the provider serves.
fn orphan_pages(documented: &[PathBuf]) -> Vec<String> {
    let mut orphans = Vec::new();
    for folder in ["resources"].iter().chain(&NON_RESOURCE_FOLDERS) {
        let Ok(entries) = std::fs::read_dir(root().join("docs").join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md") && !documented.contains(&path) {
                orphans.push(format!("{}: documents no schema", path.display()));
            }
        }
    }
    orphans
}

#[tokio::test]
async fn every_schema_attribute_appears_in_its_docs_page() {
    let cert = ClientCert::generate(Duration::hours(1));
    let server = grpc::start(AlicloudProvider::new(), |dir| grpc::unix_config(dir, Some(&cert)));
    let mut client = grpc::provider_client(grpc::mtls_channel(&server.handshake, &cert));
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();

    let mut pages: Vec<(PathBuf, Kind, Option<pb::Schema>)> = vec![(
        root().join("docs/index.md"),
        Kind::Provider,
        schema.provider.clone(),
    )];
    for (folder, schemas) in [
        ("resources", &schema.resource_schemas),
        ("data-sources", &schema.data_source_schemas),
        ("ephemeral-resources", &schema.ephemeral_resource_schemas),
        ("list-resources", &schema.list_resource_schemas),
        ("state-stores", &schema.state_store_schemas),
    ] {
        let kind = if folder == "resources" {
            Kind::Resource
        } else {
            Kind::Other
        };
        for (name, schema) in schemas {
            pages.push((page(folder, name), kind, Some(schema.clone())));
        }
    }
    for (name, action) in &schema.action_schemas {
        pages.push((page("actions", name), Kind::Other, action.schema.clone()));
    }
    assert!(
        pages.len() >= 2,
        "the provider and at least its invocation resource"
    );

    let mut missing = Vec::new();
    let mut malformed = Vec::new();
    for (path, kind, schema) in &pages {
        let block = schema.as_ref().and_then(|s| s.block.as_ref());
        let mut all = Vec::new();
        if let Some(block) = block {
            names(block, &mut all);
            malformed.extend(format_problems(path, *kind, block));
        }
        assert!(
            !all.is_empty(),
            "{} documents a schema without attributes",
            path.display()
        );
        missing.extend(undocumented(path, &all));
    }
    let documented: Vec<PathBuf> = pages.iter().map(|(path, ..)| path.clone()).collect();
    malformed.extend(orphan_pages(&documented));
    for (name, function) in &schema.functions {
        let parameters: Vec<String> = function
            .parameters
            .iter()
            .chain(function.variadic_parameter.as_ref())
            .map(|p| p.name.clone())
            .collect();
        missing.extend(undocumented(&page("functions", name), &parameters));
    }
    assert!(
        missing.is_empty() && malformed.is_empty(),
        "undocumented:\n{}\n\nnot in the registry's format:\n{}",
        missing.join("\n"),
        malformed.join("\n")
    );
    server.shutdown.cancel();
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The anchors of a markdown file's headings, code blocks skipped.
fn anchors(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut in_code = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.push(slug(line.trim_start_matches('#')));
        }
    }
    Some(found)
}

/// Why `target` (a path relative to `base`, with an optional `#anchor`) does not resolve.
fn unresolved(base: &Path, target: &str) -> Option<String> {
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let path = if file.is_empty() {
        base.to_path_buf()
    } else {
        base.parent()?.join(file)
    };
    if !path.exists() {
        return Some(format!("`{target}`: no such file"));
    }
    if anchor.is_empty() || path.is_dir() || path.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let found = anchors(&path)?;
    (!found.iter().any(|a| a == anchor)).then(|| format!("`{target}`: no heading `#{anchor}`"))
}

/// Every `.rs` file under `dir`, build output left out.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && !path.ends_with("target") {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The references to a page of docs (with an optional anchor) in a source file; a bare
/// `` `#anchor` `` after one refers to the same page.
fn code_references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut page = None;
    for token in text.split(['`', ' ', '(', ')', ',', '\n']) {
        if token.starts_with("docs/") && token.contains(".md") {
            page = token.split('#').next().map(str::to_string);
            found.push(token.trim_end_matches(['.', ':', ';']).to_string());
        } else if let (Some(anchor), Some(page)) = (token.strip_prefix('#'), &page) {
            if !anchor.is_empty() && anchor.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                found.push(format!("{page}#{anchor}"));
            }
        }
    }
    found
}

/// The relative targets of `[text](target)` links in markdown, web addresses left out.
fn markdown_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.contains("://") && !target.starts_with("mailto:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn references_in_code_and_docs_resolve() {
    // Written in two parts so that this file does not match its own search.
    let banned = [["fact", " sheet"].concat(), ["the", " seed"].concat()];
    let mut problems = Vec::new();

    let mut sources = Vec::new();
    for dir in ["src", "crates", "tests"] {
        rust_files(&root().join(dir), &mut sources);
    }
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        let lower = text.to_lowercase();
        for phrase in &banned {
            if lower.contains(phrase.as_str()) {
                problems.push(format!(
                    "{}: cites \"{phrase}\", which is not in the repository",
                    path.display()
                ));
            }
        }
        for reference in code_references(&text) {
            if let Some(why) = unresolved(&root().join("Cargo.toml"), &reference) {
                problems.push(format!("{}: {why}", path.display()));
            }
        }
    }

    let mut pages = vec![root().join("README.md")];
    for dir in ["docs", "docs/resources", "docs/data-sources", "docs/actions"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "md") {
                pages.push(entry.path());
            }
        }
    }
    for path in &pages {
        let text = std::fs::read_to_string(path).unwrap();
        let lower = text.to_lowercase();
        for phrase in &banned {
            if lower.contains(phrase.as_str()) {
                problems.push(format!("{}: cites \"{phrase}\"", path.display()));
            }
        }
        for link in markdown_links(&text) {
            if let Some(why) = unresolved(path, &link) {
                problems.push(format!("{}: {why}", path.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "unresolved references:\n{}",
        problems.join("\n")
    );
}
