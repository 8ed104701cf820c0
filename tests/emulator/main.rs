//! The emulator suite: the `alicloud-ecs-emulator` binary over HTTP, as the API's clients
//! (raw signed requests, our client, Alibaba's official Python SDKs) see it.

mod auth;
mod client;
mod faults;
mod invoke;
mod runs;
mod sdk;
mod server;
mod state;
