//! JSON types of the REST API (being written).
