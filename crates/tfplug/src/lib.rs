//! tfplug: a small, general Terraform plugin framework (protocol 6). It owns the go-plugin
//! handshake, the gRPC services, cty values and their encodings, schemas, diagnostics, private
//! state and the provider/resource/action traits. It knows nothing of any cloud.

mod action;
mod codec_error;
mod context;
mod decimal;
mod diagnostics;
mod encoder;
mod engine;
mod equality;
mod identity;
mod import;
mod json;
pub mod logging;
pub mod model;
pub mod msgpack;
mod msgpack_reader;
mod nested;
pub mod plan_modifiers;
mod private;
mod provider;
mod schema;
pub mod server;
#[cfg(test)]
mod test_strategies;
mod timeouts;
mod types;
pub mod validators;
mod value;

// What a provider author writes against; codecs and the engine stay behind their modules.
pub use action::{Action, ActionProgress, AnyAction};
pub use codec_error::CodecError;
pub use context::ValueContext;
pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use engine::{validate_object, StateUpgrader};
pub use equality::same_value;
pub use identity::{IdentityAttribute, IdentitySchema};
pub use import::{IdKind, IdScope, ImportError, ImportIds, ImportedId};
pub use model::{check_model, Attr, Merged, Model, ModelError, ModelValue};
pub use nested::{AttributeType, NestedObject, ObjectNesting};
pub use plan_modifiers::{DefaultValue, OrderInsensitive, RequiresReplace, UseStateForUnknown};
pub use private::Private;
pub use provider::{AnyDataSource, AnyResource, DataSource, PlanRequest, Provider, Resource};
pub use schema::{Attribute, AttributePlan, Block, NestedBlock, Nesting, PlanModifier, Schema, Validator};
pub use timeouts::Timeouts;
pub use types::Type;
pub use validators::{
    conflicts_with, each, exactly_one_of, int_between, length_at_most, length_between, map_keys, map_values,
    not_empty, one_of, required_when, requires_with, size_at_most, size_between, unique_items,
};
pub use value::{Number, Value};
