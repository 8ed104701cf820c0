//! A toy provider for driving the server: one resource, `toy_thing`, kept in memory, with a
//! validator so validation has something to say, and call records the tests can assert on.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tfplug::Diagnostics;
use tfplug::Type;
use tfplug::Value;
use tfplug::ValueContext;
use tfplug::{AnyResource, Private, Provider};
use tfplug::{Attribute, Block, Schema, Validator};

pub const THING: &str = "toy_thing";

struct NotEmpty;

impl Validator for NotEmpty {
    fn description(&self) -> String {
        "Must not be empty.".into()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        if value.as_str() == Some("") {
            diags.error_at(ctx.path.clone(), "Empty name", "`name` must not be empty.");
        }
    }
}

/// What the toy saw, shared between the provider and the test.
#[derive(Default)]
pub struct Record {
    pub configured_with: Mutex<Option<(String, Value)>>,
    pub stops: AtomicUsize,
    pub objects: Mutex<BTreeMap<String, Value>>,
}

pub struct ToyProvider {
    pub record: Arc<Record>,
}

impl ToyProvider {
    pub fn new() -> (ToyProvider, Arc<Record>) {
        let record = Arc::new(Record::default());
        (
            ToyProvider {
                record: record.clone(),
            },
            record,
        )
    }
}

pub fn thing_schema() -> Schema {
    Schema::new(
        Block::new("A thing kept in memory.")
            .attribute(
                Attribute::required("name", Type::String)
                    .describe("The thing's name.")
                    .validate(NotEmpty),
            )
            .attribute(Attribute::optional("tags", Type::map(Type::String)).sensitive())
            .attribute(Attribute::computed("id", Type::String)),
    )
    .version(1)
}

pub fn thing_type() -> Type {
    thing_schema().block.implied_type()
}

pub fn provider_schema() -> Schema {
    Schema::new(Block::new("The toy provider.").attribute(Attribute::optional("region", Type::String)))
}

#[async_trait]
impl Provider for ToyProvider {
    fn schema(&self) -> Schema {
        provider_schema()
    }

    fn resources(&self) -> Vec<Arc<dyn AnyResource>> {
        vec![Arc::new(Thing {
            record: self.record.clone(),
        })]
    }

    async fn configure(&self, terraform_version: &str, config: &Value, _diags: &mut Diagnostics) {
        *self.record.configured_with.lock().unwrap() = Some((terraform_version.to_string(), config.clone()));
    }

    fn stop(&self) {
        self.record.stops.fetch_add(1, Ordering::SeqCst);
    }
}

struct Thing {
    record: Arc<Record>,
}

fn with_id(object: &Value, id: &str) -> Value {
    let mut object = object.clone();
    object.set_attr("id", Value::string(id));
    object
}

#[async_trait]
impl AnyResource for Thing {
    fn type_name(&self) -> &'static str {
        THING
    }

    fn schema(&self) -> Schema {
        thing_schema()
    }

    async fn create(
        &self,
        planned: &Value,
        _private: &mut Private,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let name = planned.attr_str("name").unwrap_or_default().to_string();
        let id = format!("thing-{name}");
        let created = with_id(planned, &id);
        if name == "half-made" {
            // The object exists remotely but finishing it failed: the state must survive.
            diags.error("Create failed halfway", "The thing exists but is not finished.");
        }
        self.record.objects.lock().unwrap().insert(id, created.clone());
        Some(created)
    }

    async fn read(&self, state: &Value, _private: &mut Private, _diags: &mut Diagnostics) -> Option<Value> {
        let id = state.attr_str("id")?;
        self.record.objects.lock().unwrap().get(id).cloned()
    }

    async fn delete(&self, state: &Value, diags: &mut Diagnostics) {
        let id = state.attr_str("id").unwrap_or_default().to_string();
        if self.record.objects.lock().unwrap().remove(&id).is_none() {
            diags.error("Delete failed", format!("No thing {id}."));
        }
    }

    async fn import(&self, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        if !id.starts_with("thing-") {
            diags.error("Invalid import ID", "Expected thing-NAME.");
            return None;
        }
        let mut object = Value::null_object(&thing_type());
        object.set_attr("id", Value::string(id));
        Some(object)
    }
}
