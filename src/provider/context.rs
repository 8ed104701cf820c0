//! What the provider's resources share once Terraform has configured it: the clients, the
//! region, the per-run caches of commands and instances, the ledger of creates, and the one
//! watcher of invocations in flight.

use std::sync::{Arc, OnceLock};

use tokio_util::sync::CancellationToken;

use crate::invocation::ledger::Ledger;
use crate::provider::catalog::Catalog;
use crate::shared::watcher::Watcher;
use alicloud_client::{EcsClient, RetryPolicy};
use tfplug::{Attr, Diagnostics};

pub struct ProviderContext {
    /// Stopped by StopProvider: waits and requests end at once.
    pub client: EcsClient,
    /// The same configuration, never stopped: settles an `InvokeCommand` already sent.
    pub settle_client: EcsClient,
    pub retry: RetryPolicy,
    pub region: String,
    pub catalog: Catalog,
    pub ledger: Ledger,
    /// Follows every invocation being waited on, in one poll loop.
    pub watcher: Watcher,
}

impl ProviderContext {
    /// The region an object lives in: its `region_id`, else the provider's.
    pub fn region_of<'a>(&'a self, region_id: &'a Attr<String>) -> &'a str {
        region_id.as_deref().unwrap_or(&self.region)
    }
}

/// Filled by `ConfigureProvider`; read by every resource call. Stays empty when the provider
/// block still held unknown values at plan time (remote rules then wait for apply).
#[derive(Clone, Default)]
pub struct ContextCell {
    inner: Arc<CellInner>,
}

#[derive(Default)]
struct CellInner {
    context: OnceLock<Arc<ProviderContext>>,
    /// Cancelled by StopProvider; the client is built with it, so waits end at once.
    cancel: CancellationToken,
}

impl ContextCell {
    pub fn set(&self, context: ProviderContext) {
        // Terraform configures a provider instance once; a second call keeps the first.
        let _ = self.inner.context.set(Arc::new(context));
    }

    pub fn get(&self) -> Option<Arc<ProviderContext>> {
        self.inner.context.get().cloned()
    }

    /// The context, or an error diagnostic saying the provider is not configured.
    pub fn require(&self, diags: &mut Diagnostics) -> Option<Arc<ProviderContext>> {
        let context = self.get();
        if context.is_none() {
            diags.error(
                "Provider not configured",
                "The alicloud provider has no usable configuration (its arguments were unknown or \
                 invalid), so no API call can be made.",
            );
        }
        context
    }

    /// An import's region: the one it names, else the provider's once configured. Said at
    /// import (as `read` would) so the imported identity is whole.
    pub fn import_region(&self, named: Option<String>) -> Option<String> {
        named.or_else(|| self.get().map(|context| context.region.clone()))
    }

    pub fn cancellation(&self) -> CancellationToken {
        self.inner.cancel.clone()
    }

    pub fn cancel(&self) {
        self.inner.cancel.cancel();
    }
}
