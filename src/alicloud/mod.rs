//! The Alibaba Cloud client layer: signing, credentials, endpoints, retries and typed ECS
//! Cloud Assistant calls. It knows nothing of Terraform.

pub mod frequency;
pub mod signature;
