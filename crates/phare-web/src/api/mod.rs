//! The REST API under `/api/v1`. (Being written: see the API issue notes.)

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
