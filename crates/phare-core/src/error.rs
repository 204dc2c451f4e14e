//! The one error type of the use cases: a stable code, optional field errors, and (for logs
//! only) the internal cause. The web layer maps the code to a status and a translated message.

use phare_domain::{ErrorCode, FieldError, Invalid};
use phare_store::StoreError;

#[derive(Debug, thiserror::Error)]
#[error("{code}: {internal}")]
pub struct CoreError {
    pub code: ErrorCode,
    pub fields: Vec<FieldError>,
    /// Seconds to wait, for `rate_limited`.
    pub retry_after: Option<u64>,
    /// Never shown to users: logged with the request id.
    pub internal: String,
}

pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            fields: Vec::new(),
            retry_after: None,
            internal: String::new(),
        }
    }

    pub fn field(field: &str, code: &'static str) -> Self {
        Invalid::one(field, code).into()
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(ErrorCode::RateLimited)
        }
    }

    pub fn internal(msg: impl Into<String>) -> Self {
        Self {
            internal: msg.into(),
            ..Self::new(ErrorCode::Internal)
        }
    }
}

impl From<Invalid> for CoreError {
    fn from(v: Invalid) -> Self {
        Self {
            fields: v.0,
            ..Self::new(ErrorCode::Validation)
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::VersionConflict => Self::new(ErrorCode::VersionConflict),
            StoreError::Duplicate(field) => Self {
                fields: vec![FieldError {
                    field: field.to_owned(),
                    code: "already_taken",
                }],
                ..Self::new(ErrorCode::Duplicate)
            },
            StoreError::Unavailable(m) => Self {
                internal: m,
                ..Self::new(ErrorCode::Unavailable)
            },
            StoreError::NotEmpty => Self {
                internal: e.to_string(),
                ..Self::new(ErrorCode::Internal)
            },
            StoreError::Other(m) => Self::internal(m),
        }
    }
}
