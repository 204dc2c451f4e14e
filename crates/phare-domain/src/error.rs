//! Stable error codes. A code is a contract: the API returns it in problem+json, the web layer
//! translates it through Fluent (`error-<code>`), tests match on it. Never rename one.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    Unauthenticated,
    Forbidden,
    InvalidCredentials,
    Validation,
    UnknownField,
    Duplicate,
    VersionConflict,
    PreconditionRequired,
    RateLimited,
    SetupAlreadyDone,
    SetupTokenInvalid,
    InvitationInvalid,
    BadRequest,
    PayloadTooLarge,
    IdempotencyMismatch,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Validation => "validation",
            Self::UnknownField => "unknown_field",
            Self::Duplicate => "duplicate",
            Self::VersionConflict => "version_conflict",
            Self::PreconditionRequired => "precondition_required",
            Self::RateLimited => "rate_limited",
            Self::SetupAlreadyDone => "setup_already_done",
            Self::SetupTokenInvalid => "setup_token_invalid",
            Self::InvitationInvalid => "invitation_invalid",
            Self::BadRequest => "bad_request",
            Self::PayloadTooLarge => "payload_too_large",
            Self::IdempotencyMismatch => "idempotency_mismatch",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status this code maps to, so the API and the HTML pages agree.
    pub fn http_status(self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::Validation | Self::UnknownField => 422,
            Self::Duplicate | Self::VersionConflict | Self::SetupAlreadyDone => 409,
            Self::PreconditionRequired => 428,
            Self::RateLimited => 429,
            Self::SetupTokenInvalid | Self::InvitationInvalid => 410,
            Self::BadRequest => 400,
            Self::PayloadTooLarge => 413,
            Self::IdempotencyMismatch => 422,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }

    pub const ALL: [ErrorCode; 18] = [
        Self::NotFound,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::InvalidCredentials,
        Self::Validation,
        Self::UnknownField,
        Self::Duplicate,
        Self::VersionConflict,
        Self::PreconditionRequired,
        Self::RateLimited,
        Self::SetupAlreadyDone,
        Self::SetupTokenInvalid,
        Self::InvitationInvalid,
        Self::BadRequest,
        Self::PayloadTooLarge,
        Self::IdempotencyMismatch,
        Self::Unavailable,
        Self::Internal,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field that failed validation. `code` is a Fluent message id suffix (`field-<code>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

/// A list of field errors; empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {0:?}")]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
        });
    }

    pub fn one(field: &str, code: &'static str) -> Self {
        let mut v = Self::new();
        v.add(field, code);
        v
    }

    /// `Ok(())` when nothing was added, so validators can end with `errors.into_result()`.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
