//! Phare's domain: the product's vocabulary as types, and the rules that need no IO.
//!
//! Everything here is pure and synchronous. Nothing in this crate may touch a database, the
//! network, the clock of a request or a file: the layers above pass those in.

#[macro_use]
mod macros;

pub mod discovery;
pub mod error;
pub mod ids;
pub mod markdown;
pub mod org;
pub mod password;
pub mod portal;
pub mod research;
pub mod stakeholders;
pub mod story;
pub mod text;
pub mod validate;

pub use discovery::*;
pub use error::{ErrorCode, FieldError, Invalid};
pub use ids::*;
pub use org::*;
pub use portal::*;
pub use research::*;
pub use stakeholders::*;
