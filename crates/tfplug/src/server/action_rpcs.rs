//! The action RPCs: `ValidateActionConfig` (the schema's static rules), `PlanAction` (the
//! action's remote rules) and the streaming `InvokeAction`: the action runs in its own task,
//! each progress message becomes a `Progress` event, then one `Completed` carries the
//! diagnostics. The run is cancelled when Terraform stops the provider or drops the stream.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;
use tokio_util::sync::CancellationToken;

use super::catalog::{ActionEntry, Catalog};
use super::convert_diagnostics::diagnostics;
use super::dynamic_value::decode_or_report;
use super::proto::tfplugin6 as pb;
use super::unsupported::EventStream;
use crate::action::ActionProgress;
use crate::diagnostics::Diagnostics;
use crate::engine;
use crate::value::Value;

use pb::invoke_action::event::{Completed, Progress, Type};

fn config(entry: &ActionEntry, value: Option<&pb::DynamicValue>, diags: &mut Diagnostics) -> Option<Value> {
    decode_or_report(value, &entry.ty, "action configuration", diags)
}

pub fn validate_action_config(
    catalog: &Catalog,
    request: pb::validate_action_config::Request,
) -> pb::validate_action_config::Response {
    let mut diags = Diagnostics::new();
    if let Some(entry) = catalog.action(&request.type_name, &mut diags) {
        if let Some(value) = config(entry, request.config.as_ref(), &mut diags) {
            diags.extend(engine::validate_object(&entry.schema.block, &value));
        }
    }
    pb::validate_action_config::Response {
        diagnostics: diagnostics(diags),
    }
}

pub async fn plan_action(catalog: &Catalog, request: pb::plan_action::Request) -> pb::plan_action::Response {
    let mut diags = Diagnostics::new();
    if let Some(entry) = catalog.action(&request.action_type, &mut diags) {
        if let Some(value) = config(entry, request.config.as_ref(), &mut diags) {
            // Terraform validates before planning; a plan from another client is checked too.
            diags.extend(engine::validate_object(&entry.schema.block, &value));
            if !diags.has_errors() {
                entry.action.plan_value(&value, &mut diags).await;
            }
        }
    }
    pb::plan_action::Response {
        diagnostics: diagnostics(diags),
        deferred: None,
    }
}

fn completed(diags: Diagnostics) -> pb::invoke_action::Event {
    pb::invoke_action::Event {
        r#type: Some(Type::Completed(Completed {
            diagnostics: diagnostics(diags),
        })),
    }
}

/// Starts the action and returns its event stream. `stopped` is the provider-wide token
/// that `StopProvider` cancels.
pub fn invoke_action(
    catalog: &Catalog,
    request: pb::invoke_action::Request,
    stopped: &CancellationToken,
) -> EventStream<pb::invoke_action::Event> {
    let mut diags = Diagnostics::new();
    let Some(entry) = catalog.action(&request.action_type, &mut diags) else {
        return super::unsupported::one_event(completed(diags));
    };
    let Some(value) = config(entry, request.config.as_ref(), &mut diags) else {
        return super::unsupported::one_event(completed(diags));
    };
    let action = Arc::clone(&entry.action);
    let cancel = stopped.child_token();
    // Capacity 1: a message waits for the stream to take it before the action goes on.
    let (events, receiver) = mpsc::channel::<pb::invoke_action::Event>(1);
    let (messages, mut progress_rx) = mpsc::channel::<String>(1);
    let progress = ActionProgress::new(messages, cancel.clone());
    let done = CancellationToken::new();
    watch_for_drop(events.clone(), cancel.clone(), done.clone());
    tokio::spawn(async move {
        let run = async {
            let mut diags = Diagnostics::new();
            action.invoke_value(&value, &progress, &mut diags).await;
            drop(progress);
            diags
        };
        let relay = async {
            while let Some(message) = progress_rx.recv().await {
                let event = pb::invoke_action::Event {
                    r#type: Some(Type::Progress(Progress { message })),
                };
                // The stream is gone: the watcher has cancelled the run, which ends soon.
                let _ = events.send(event).await;
            }
        };
        let (diags, ()) = tokio::join!(run, relay);
        // Nobody may be listening any more; then there is nothing to tell.
        let _ = events.send(completed(diags)).await;
        done.cancel();
    });
    Box::pin(ReceiverStream::new(receiver).map(Ok))
}

/// Cancels the run when Terraform drops the stream (the receiver goes away); ends when the
/// run has completed, releasing its sender so the stream can end.
fn watch_for_drop(
    probe: mpsc::Sender<pb::invoke_action::Event>,
    cancel: CancellationToken,
    done: CancellationToken,
) {
    tokio::spawn(async move {
        tokio::select! {
            () = probe.closed() => cancel.cancel(),
            () = done.cancelled() => {}
        }
    });
}
