//! Phare's domain: the product's vocabulary as types, and the rules that need no IO.
//!
//! Everything here is pure and synchronous. Nothing in this crate may touch a database, the
//! network, the clock of a request or a file: the layers above pass those in.

pub mod error;
pub mod ids;
pub mod org;
pub mod password;
pub mod validate;

pub use error::{ErrorCode, FieldError, Invalid};
pub use ids::*;
pub use org::*;
