//! Phare's domain: the product's vocabulary as types, and the rules that need no IO.
//!
//! Everything here is pure and synchronous. Nothing in this crate may touch a database, the
//! network, the clock of a request or a file: the layers above pass those in.

#[macro_use]
mod macros;

pub mod decisions;
pub mod discovery;
pub mod error;
pub mod ids;
pub mod markdown;
pub mod org;
pub mod password;
pub mod portal;
pub mod research;
pub mod specs;
pub mod stakeholders;
pub mod story;
pub mod text;
pub mod validate;
// scoring slice (issue #4)
pub mod backlog;
pub mod scoring;

pub use decisions::*;
pub use discovery::*;
pub use error::{ErrorCode, FieldError, Invalid};
pub use ids::*;
pub use org::*;
pub use portal::*;
pub use research::*;
// scoring slice (issue #4)
pub use backlog::{BacklogSort, MoveTo};
pub use scoring::{Framework, InputSource, ScoreInputs};
pub use stakeholders::*;
