//! The end-to-end suite: the real Terraform CLI drives this build's provider against the
//! emulator, one module per concern. `make test` runs it with the Terraform on PATH and
//! selects the modules that also run on 1.0.3 and 1.15.5 by name (see the Makefile); the
//! modules of features only the newest Terraform has pick 1.15.5 themselves.

mod action;
mod command;
mod completion;
mod credentials;
mod examples;
mod faults;
mod identity;
mod install;
mod load;
mod resource;
mod schedule;
mod secrets;
mod transport;
mod validate;
mod write_only;
