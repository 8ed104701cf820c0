//! Schemas as data: attributes, nested blocks, and the validators and plan modifiers that
//! hang off them, so a resource is declared rather than coded.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::context::ValueContext;
use super::diagnostics::{AttributePath, Diagnostics};
use super::nested::{AttributeType, NestedObject};
use super::types::Type;
use super::value::Value;

/// A rule on one value. The framework calls it only with a known, non-null value (elements
/// inside a collection may still be unknown and must be skipped); on a block it receives the
/// whole object, which is where rules across attributes live. Diagnostics name `ctx.path` and
/// show values only through `ctx.show`, which hides sensitive ones.
pub trait Validator: Send + Sync {
    /// The rule in one line of markdown, shown in the schema description and the docs.
    fn description(&self) -> String;
    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics);
}

/// What a plan modifier sees of one attribute.
pub struct AttributePlan<'a> {
    pub path: &'a AttributePath,
    pub config: &'a Value,
    /// The attribute's value in the prior state; `None` when the resource is being created.
    pub prior: Option<&'a Value>,
}

/// Adjusts the planned value of one attribute, or marks a change to it as forcing replacement.
pub trait PlanModifier: Send + Sync {
    fn description(&self) -> String;
    fn modify(&self, attribute: &AttributePlan<'_>, planned: &mut Value, requires_replace: &mut bool);
}

#[derive(Clone)]
pub struct Attribute {
    pub name: String,
    /// The cty type; for nested attributes, the one `nested` implies.
    pub ty: Type,
    /// Protocol 6 nested attributes: objects whose attributes have their own flags.
    pub nested: Option<NestedObject>,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    /// Terraform 1.11+: in the configuration only, never in plan or state (the framework
    /// nulls it there and refuses it on older Terraform). Honoured on top-level attributes.
    pub write_only: bool,
    pub deprecated: bool,
    pub validators: Vec<Arc<dyn Validator>>,
    pub plan_modifiers: Vec<Arc<dyn PlanModifier>>,
}

impl Attribute {
    fn new(name: &str, ty: impl Into<AttributeType>) -> Self {
        let AttributeType { ty, nested } = ty.into();
        Attribute {
            name: name.to_string(),
            ty,
            nested,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
            validators: Vec::new(),
            plan_modifiers: Vec::new(),
        }
    }

    pub fn required(name: &str, ty: impl Into<AttributeType>) -> Self {
        Attribute {
            required: true,
            ..Self::new(name, ty)
        }
    }

    pub fn optional(name: &str, ty: impl Into<AttributeType>) -> Self {
        Attribute {
            optional: true,
            ..Self::new(name, ty)
        }
    }

    /// Optional in configuration; the provider fills it when the user leaves it out.
    pub fn optional_computed(name: &str, ty: impl Into<AttributeType>) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Self::new(name, ty)
        }
    }

    pub fn computed(name: &str, ty: impl Into<AttributeType>) -> Self {
        Attribute {
            computed: true,
            ..Self::new(name, ty)
        }
    }

    pub fn describe(mut self, markdown: &str) -> Self {
        self.description = markdown.to_string();
        self
    }

    /// Sensitive; for nested attributes, every field inside too, so no validator of one
    /// shows its value.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        if let Some(nested) = &mut self.nested {
            let fields = std::mem::take(&mut nested.object.attributes);
            nested.object.attributes = fields.into_iter().map(Attribute::sensitive).collect();
        }
        self
    }

    /// A write-only attribute: the resource sees its configured value at plan and apply;
    /// plan and state always hold null. A change to it alone plans nothing (pair it with a
    /// `*_wo_version` attribute that forces replacement).
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    pub fn validate(mut self, validator: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(validator));
        self
    }

    pub fn plan(mut self, modifier: impl PlanModifier + 'static) -> Self {
        self.plan_modifiers.push(Arc::new(modifier));
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Clone)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
}

/// Nested blocks by what they are; item bounds, where they apply, are named too.
impl NestedBlock {
    pub fn new(type_name: &str, nesting: Nesting, block: Block) -> Self {
        NestedBlock {
            type_name: type_name.to_string(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
        }
    }

    /// One block, which may be left out (`timeouts { ... }`).
    pub fn single(type_name: &str, block: Block) -> Self {
        Self::new(type_name, Nesting::Single, block)
    }

    /// A list of blocks with no bound.
    pub fn list(type_name: &str, block: Block) -> Self {
        Self::new(type_name, Nesting::List, block)
    }

    /// At most one block, as a list: the usual shape of an optional settings block.
    pub fn optional_one(type_name: &str, block: Block) -> Self {
        Self::list(type_name, block).max_items(1)
    }

    pub fn min_items(mut self, min: i64) -> Self {
        self.min_items = min;
        self
    }

    pub fn max_items(mut self, max: i64) -> Self {
        self.max_items = max;
        self
    }
}

#[derive(Clone, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: bool,
    /// Rules across the attributes of this block, given the whole object.
    pub validators: Vec<Arc<dyn Validator>>,
}

impl Block {
    pub fn new(description: &str) -> Self {
        Block {
            description: description.to_string(),
            ..Block::default()
        }
    }

    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    pub fn block(mut self, nested: NestedBlock) -> Self {
        self.blocks.push(nested);
        self
    }

    pub fn validate(mut self, validator: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(validator));
        self
    }

    pub fn get_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The object type of a value of this block, as Terraform derives it from the schema.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect();
        for nested in &self.blocks {
            let inner = nested.block.implied_type();
            let ty = match nested.nesting {
                Nesting::Single | Nesting::Group => inner,
                Nesting::List => Type::list(inner),
                Nesting::Set => Type::set(inner),
                Nesting::Map => Type::map(inner),
            };
            attrs.insert(nested.type_name.clone(), ty);
        }
        Type::Object(attrs)
    }
}

/// A provider, resource or data source schema.
#[derive(Clone)]
pub struct Schema {
    /// Bumped when the stored state shape changes; drives `UpgradeResourceState`.
    pub version: i64,
    pub block: Block,
}

impl Schema {
    /// A schema at version 0.
    pub fn new(block: Block) -> Self {
        Schema { version: 0, block }
    }

    /// The version of the stored state shape.
    pub fn version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }
}
