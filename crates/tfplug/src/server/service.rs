//! The `tfplugin6.Provider` gRPC service: logs each call (name and type only, never values)
//! and hands it to the module that owns it. Every RPC answers; none returns a gRPC error.

use std::sync::{Arc, OnceLock};

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::catalog::Catalog;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as ProviderRpc;
use super::unsupported::{self, no_such, not_supported, EventStream};
use super::{action_rpcs, data_source_rpcs, identity_rpcs, lifecycle, provider_rpcs, resource_rpcs};
use crate::logging;
use crate::provider::Provider;

const MODULE: &str = "tfplug.server";

pub struct ProviderService {
    provider: Arc<dyn Provider>,
    catalog: OnceLock<Catalog>,
    /// Cancelled by `StopProvider`: running actions stop.
    stopped: CancellationToken,
}

impl ProviderService {
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        ProviderService {
            provider,
            catalog: OnceLock::new(),
            stopped: CancellationToken::new(),
        }
    }

    /// Built on the first call, so startup does no schema work before the handshake.
    fn catalog(&self) -> &Catalog {
        self.catalog.get_or_init(|| Catalog::new(self.provider.as_ref()))
    }
}

fn received(rpc: &'static str, type_name: &str) {
    logging::debug(
        MODULE,
        "RPC received",
        &[("rpc", &rpc), ("type_name", &type_name)],
    );
}

type Reply<T> = Result<Response<T>, Status>;

// The result type is tonic's; `Status` is large but never built here.
#[allow(clippy::result_large_err)]
fn reply<T>(message: T) -> Reply<T> {
    Ok(Response::new(message))
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(&self, _: Request<pb::get_metadata::Request>) -> Reply<pb::get_metadata::Response> {
        received("GetMetadata", "");
        reply(provider_rpcs::get_metadata(self.catalog()))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Reply<pb::get_provider_schema::Response> {
        received("GetProviderSchema", "");
        reply(provider_rpcs::get_provider_schema(self.catalog()))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Reply<pb::validate_provider_config::Response> {
        received("ValidateProviderConfig", "");
        reply(provider_rpcs::validate_provider_config(
            self.catalog(),
            request.into_inner(),
        ))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Reply<pb::validate_resource_config::Response> {
        let request = request.into_inner();
        received("ValidateResourceConfig", &request.type_name);
        reply(resource_rpcs::validate_resource_config(self.catalog(), request))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Reply<pb::validate_data_resource_config::Response> {
        let request = request.into_inner();
        received("ValidateDataResourceConfig", &request.type_name);
        reply(data_source_rpcs::validate_data_resource_config(
            self.catalog(),
            request,
        ))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Reply<pb::upgrade_resource_state::Response> {
        let request = request.into_inner();
        received("UpgradeResourceState", &request.type_name);
        reply(resource_rpcs::upgrade_resource_state(self.catalog(), request))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Reply<pb::get_resource_identity_schemas::Response> {
        received("GetResourceIdentitySchemas", "");
        reply(identity_rpcs::get_resource_identity_schemas(self.catalog()))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Reply<pb::upgrade_resource_identity::Response> {
        let request = request.into_inner();
        received("UpgradeResourceIdentity", &request.type_name);
        reply(identity_rpcs::upgrade_resource_identity(self.catalog(), request))
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Reply<pb::configure_provider::Response> {
        received("ConfigureProvider", "");
        let catalog = self.catalog();
        reply(provider_rpcs::configure_provider(self.provider.as_ref(), catalog, request.into_inner()).await)
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Reply<pb::read_resource::Response> {
        let request = request.into_inner();
        received("ReadResource", &request.type_name);
        reply(resource_rpcs::read_resource(self.catalog(), request).await)
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Reply<pb::plan_resource_change::Response> {
        let request = request.into_inner();
        received("PlanResourceChange", &request.type_name);
        reply(lifecycle::plan_resource_change(self.catalog(), request).await)
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Reply<pb::apply_resource_change::Response> {
        let request = request.into_inner();
        received("ApplyResourceChange", &request.type_name);
        reply(lifecycle::apply_resource_change(self.catalog(), request).await)
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Reply<pb::import_resource_state::Response> {
        let request = request.into_inner();
        received("ImportResourceState", &request.type_name);
        reply(resource_rpcs::import_resource_state(self.catalog(), request).await)
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Reply<pb::move_resource_state::Response> {
        let request = request.into_inner();
        received("MoveResourceState", &request.target_type_name);
        reply(pb::move_resource_state::Response {
            diagnostics: not_supported("Moving resource state", &request.target_type_name),
            ..Default::default()
        })
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Reply<pb::read_data_source::Response> {
        let request = request.into_inner();
        received("ReadDataSource", &request.type_name);
        reply(data_source_rpcs::read_data_source(self.catalog(), request).await)
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Reply<pb::generate_resource_config::Response> {
        let request = request.into_inner();
        received("GenerateResourceConfig", &request.type_name);
        reply(pb::generate_resource_config::Response {
            config: None,
            diagnostics: not_supported("Configuration generation", &request.type_name),
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Reply<pb::validate_ephemeral_resource_config::Response> {
        let request = request.into_inner();
        received("ValidateEphemeralResourceConfig", &request.type_name);
        reply(pb::validate_ephemeral_resource_config::Response {
            diagnostics: no_such("ephemeral resource type", &request.type_name),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Reply<pb::open_ephemeral_resource::Response> {
        let request = request.into_inner();
        received("OpenEphemeralResource", &request.type_name);
        reply(pb::open_ephemeral_resource::Response {
            diagnostics: no_such("ephemeral resource type", &request.type_name),
            ..Default::default()
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Reply<pb::renew_ephemeral_resource::Response> {
        let request = request.into_inner();
        received("RenewEphemeralResource", &request.type_name);
        reply(pb::renew_ephemeral_resource::Response {
            diagnostics: no_such("ephemeral resource type", &request.type_name),
            ..Default::default()
        })
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Reply<pb::close_ephemeral_resource::Response> {
        let request = request.into_inner();
        received("CloseEphemeralResource", &request.type_name);
        reply(pb::close_ephemeral_resource::Response {
            diagnostics: no_such("ephemeral resource type", &request.type_name),
        })
    }

    type ListResourceStream = EventStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Reply<Self::ListResourceStream> {
        let request = request.into_inner();
        received("ListResource", &request.type_name);
        reply(unsupported::list_resource(&request.type_name))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Reply<pb::validate_list_resource_config::Response> {
        let request = request.into_inner();
        received("ValidateListResourceConfig", &request.type_name);
        reply(pb::validate_list_resource_config::Response {
            diagnostics: no_such("list resource type", &request.type_name),
        })
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Reply<pb::get_functions::Response> {
        received("GetFunctions", "");
        reply(pb::get_functions::Response::default())
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Reply<pb::call_function::Response> {
        let request = request.into_inner();
        received("CallFunction", &request.name);
        reply(unsupported::call_function(&request.name))
    }

    async fn validate_state_store_config(
        &self,
        request: Request<pb::validate_state_store::Request>,
    ) -> Reply<pb::validate_state_store::Response> {
        let request = request.into_inner();
        received("ValidateStateStoreConfig", &request.type_name);
        reply(pb::validate_state_store::Response {
            diagnostics: no_such("state store", &request.type_name),
        })
    }

    async fn configure_state_store(
        &self,
        request: Request<pb::configure_state_store::Request>,
    ) -> Reply<pb::configure_state_store::Response> {
        let request = request.into_inner();
        received("ConfigureStateStore", &request.type_name);
        reply(pb::configure_state_store::Response {
            diagnostics: no_such("state store", &request.type_name),
            capabilities: None,
        })
    }

    type ReadStateBytesStream = EventStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        request: Request<pb::read_state_bytes::Request>,
    ) -> Reply<Self::ReadStateBytesStream> {
        let request = request.into_inner();
        received("ReadStateBytes", &request.type_name);
        reply(unsupported::read_state_bytes(&request.type_name))
    }

    async fn write_state_bytes(
        &self,
        request: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Reply<pb::write_state_bytes::Response> {
        // The type name rides on the first chunk only.
        let first = request.into_inner().message().await.ok().flatten();
        let type_name = first
            .and_then(|chunk| chunk.meta)
            .map(|meta| meta.type_name)
            .unwrap_or_default();
        received("WriteStateBytes", &type_name);
        reply(pb::write_state_bytes::Response {
            diagnostics: no_such("state store", &type_name),
        })
    }

    async fn lock_state(&self, request: Request<pb::lock_state::Request>) -> Reply<pb::lock_state::Response> {
        let request = request.into_inner();
        received("LockState", &request.type_name);
        reply(pb::lock_state::Response {
            lock_id: String::new(),
            diagnostics: no_such("state store", &request.type_name),
        })
    }

    async fn unlock_state(
        &self,
        request: Request<pb::unlock_state::Request>,
    ) -> Reply<pb::unlock_state::Response> {
        let request = request.into_inner();
        received("UnlockState", &request.type_name);
        reply(pb::unlock_state::Response {
            diagnostics: no_such("state store", &request.type_name),
        })
    }

    async fn get_states(&self, request: Request<pb::get_states::Request>) -> Reply<pb::get_states::Response> {
        let request = request.into_inner();
        received("GetStates", &request.type_name);
        reply(pb::get_states::Response {
            state_id: Vec::new(),
            diagnostics: no_such("state store", &request.type_name),
        })
    }

    async fn delete_state(
        &self,
        request: Request<pb::delete_state::Request>,
    ) -> Reply<pb::delete_state::Response> {
        let request = request.into_inner();
        received("DeleteState", &request.type_name);
        reply(pb::delete_state::Response {
            diagnostics: no_such("state store", &request.type_name),
        })
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> Reply<pb::plan_action::Response> {
        let request = request.into_inner();
        received("PlanAction", &request.action_type);
        reply(action_rpcs::plan_action(self.catalog(), request).await)
    }

    type InvokeActionStream = EventStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> Reply<Self::InvokeActionStream> {
        let request = request.into_inner();
        received("InvokeAction", &request.action_type);
        reply(action_rpcs::invoke_action(self.catalog(), request, &self.stopped))
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> Reply<pb::validate_action_config::Response> {
        let request = request.into_inner();
        received("ValidateActionConfig", &request.type_name);
        reply(action_rpcs::validate_action_config(self.catalog(), request))
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Reply<pb::stop_provider::Response> {
        received("StopProvider", "");
        self.stopped.cancel();
        reply(provider_rpcs::stop_provider(self.provider.as_ref()))
    }
}
