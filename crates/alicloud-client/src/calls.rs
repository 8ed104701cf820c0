//! How typed API calls are declared: `api_calls!` writes one `EcsClient` method per API
//! action, each a typed front to the client's one attempt loop (`EcsClient::call`), and
//! [`with_client_token`] gives a request that starts work its `ClientToken`.

use uuid::Uuid;

/// `method(Request) -> Response = "Action";`, with doc comments, for each call.
macro_rules! api_calls {
    ($($(#[$doc:meta])* $method:ident($request:ty) -> $response:ty = $action:literal;)+) => {
        impl $crate::EcsClient {
            $(
                $(#[$doc])*
                pub async fn $method(&self, request: &$request) -> Result<$response, $crate::ClientError> {
                    self.call($action, request).await
                }
            )+
        }
    };
}
pub(crate) use api_calls;

/// The same for calls that start work: each request sends [`with_client_token`]'s token.
macro_rules! idempotent_calls {
    ($($(#[$doc:meta])* $method:ident($request:ty) -> $response:ty = $action:literal;)+) => {
        $(
            impl $crate::calls::Idempotent for $request {
                fn client_token(&mut self) -> &mut Option<String> {
                    &mut self.client_token
                }
            }
        )+
        impl $crate::EcsClient {
            $(
                $(#[$doc])*
                pub async fn $method(&self, request: &$request) -> Result<$response, $crate::ClientError> {
                    self.call($action, &$crate::calls::with_client_token(request)).await
                }
            )+
        }
    };
}
pub(crate) use idempotent_calls;

/// A request that starts work, and so carries a `ClientToken`: the API does the work once per
/// token, which makes a retry after a lost answer safe.
pub(crate) trait Idempotent: Clone {
    fn client_token(&mut self) -> &mut Option<String>;
}

/// `request` with its `ClientToken`: the caller's, or one generated here, once per logical
/// call, so every retry of it sends the same.
pub(crate) fn with_client_token<R: Idempotent>(request: &R) -> R {
    let mut request = request.clone();
    request
        .client_token()
        .get_or_insert_with(|| Uuid::new_v4().to_string());
    request
}
