//! Diagnostics and attribute paths into their tfplugin6 form. Severity is always ERROR or
//! WARNING (Terraform ignores INVALID); paths use attribute names, string map keys and
//! integer list indices.

use super::proto::tfplugin6 as pb;
use crate::diagnostics::{AttributePath, Diagnostics, PathStep, Severity};

pub fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    diags
        .into_vec()
        .into_iter()
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            }
            .into(),
            summary: d.summary,
            detail: d.detail,
            // An empty path means the whole block, which Terraform expresses as no path.
            attribute: d
                .path
                .filter(|p| !p.steps().is_empty())
                .map(|p| attribute_path(&p)),
        })
        .collect()
}

pub fn attribute_path(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .steps()
            .iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                    PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::Index(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

    fn selectors(diagnostic: &pb::Diagnostic) -> Vec<Option<Selector>> {
        let path = diagnostic.attribute.as_ref().expect("a path");
        path.steps.iter().map(|s| s.selector.clone()).collect()
    }

    #[test]
    fn severities_and_paths_map_to_the_wire() {
        let mut diags = Diagnostics::new();
        diags.error_at(
            AttributePath::attr("parameters").key("name"),
            "Bad parameter",
            "detail",
        );
        diags.warning_at(AttributePath::attr("instance_ids").index(2), "Odd id", "");
        diags.error("Whole block", "");
        diags.error_at(AttributePath::root(), "Root path", "");

        let wire = diagnostics(diags);
        assert_eq!(wire.len(), 4);
        assert_eq!(wire[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(wire[0].summary, "Bad parameter");
        assert_eq!(wire[0].detail, "detail");
        assert_eq!(
            selectors(&wire[0]),
            [
                Some(Selector::AttributeName("parameters".into())),
                Some(Selector::ElementKeyString("name".into()))
            ]
        );
        assert_eq!(wire[1].severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(
            selectors(&wire[1]),
            [
                Some(Selector::AttributeName("instance_ids".into())),
                Some(Selector::ElementKeyInt(2))
            ]
        );
        assert_eq!(wire[2].attribute, None);
        assert_eq!(wire[3].attribute, None);
    }
}
