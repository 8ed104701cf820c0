//! Actions (Terraform 1.14+): a provider-defined operation run with `terraform apply -invoke`
//! or from a resource's `action_trigger`. An action has a schema and a typed config, may check
//! remote rules at plan time, and reports progress while it runs; it writes no state.

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::diagnostics::Diagnostics;
use super::model::{check_model, Model};
use super::schema::Schema;
use super::value::Value;

/// What a running action reports through, and how it learns to stop.
pub struct ActionProgress {
    messages: mpsc::Sender<String>,
    cancel: CancellationToken,
}

impl ActionProgress {
    /// `messages` is read by the stream to Terraform: one `Progress` event per message.
    pub(crate) fn new(messages: mpsc::Sender<String>, cancel: CancellationToken) -> Self {
        ActionProgress { messages, cancel }
    }

    /// Sends one progress line and waits until the stream has taken it (back-pressure, as
    /// the Go framework's unbuffered channel). When Terraform has dropped the stream the
    /// message is lost and the action is cancelled.
    pub async fn send(&self, message: impl Into<String>) {
        if self.messages.send(message.into()).await.is_err() {
            self.cancel.cancel();
        }
    }

    /// Cancelled when Terraform stops the provider (Ctrl-C) or drops the stream.
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }
}

/// An action with its typed configuration (a `tfplug::model!` struct matching `schema`).
/// Static validators in the schema run in `ValidateActionConfig`; `plan` and `invoke` get a
/// configuration that passed them.
#[async_trait]
pub trait Action: Send + Sync + 'static {
    type Config: Model + Send + Sync;

    /// The name configurations use (`alicloud_ecs_command`).
    const TYPE_NAME: &'static str;

    /// The schema; it needs no instance, so a sibling (a data source) can derive its own.
    fn schema() -> Schema;

    /// Rules that need remote data, run by `PlanAction`. An error here means nothing runs.
    /// Values may still be unknown; they are known again at `invoke`.
    async fn plan(&self, _config: &Self::Config, _diags: &mut Diagnostics) {}

    /// Runs the action. Returns when it has finished (or was cancelled); the diagnostics
    /// become the one `Completed` event that ends the stream.
    async fn invoke(&self, config: Self::Config, progress: &ActionProgress, diags: &mut Diagnostics);
}

/// The object-safe face of every [`Action`], used by the server: the wire value is read into
/// the action's model here, once.
#[async_trait]
pub trait AnyAction: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Whether the action's model fits its schema; run when the provider registers it.
    fn check_model(&self) -> Result<(), String>;
    async fn plan_value(&self, config: &Value, diags: &mut Diagnostics);
    async fn invoke_value(&self, config: &Value, progress: &ActionProgress, diags: &mut Diagnostics);
}

#[async_trait]
impl<A: Action> AnyAction for A {
    fn type_name(&self) -> &'static str {
        A::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        A::schema()
    }

    fn check_model(&self) -> Result<(), String> {
        check_model::<A::Config>(&A::schema().block)
    }

    async fn plan_value(&self, config: &Value, diags: &mut Diagnostics) {
        if let Some(config) = A::Config::read(config, diags) {
            self.plan(&config, diags).await;
        }
    }

    async fn invoke_value(&self, config: &Value, progress: &ActionProgress, diags: &mut Diagnostics) {
        if let Some(config) = A::Config::read(config, diags) {
            self.invoke(config, progress, diags).await;
        }
    }
}
