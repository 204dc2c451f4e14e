//! JSON export (INTEROP §3): the versioned envelope
//! `{"format":"phare-export","version":1,"exported_at":…,"items":[…]}`, whole or streamed, and
//! JSON Lines for large exports. Serialises what it is given; no other IO.

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ExportError;

pub const EXPORT_FORMAT: &str = "phare-export";
pub const EXPORT_VERSION: u32 = 1;

pub fn json_envelope<T: Serialize>(
    items: &[T],
    exported_at: DateTime<Utc>,
) -> Result<Value, ExportError> {
    Ok(json!({
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "items": serde_json::to_value(items)?,
    }))
}

/// The same envelope written item by item, for exports too large to hold.
pub struct JsonEnvelopeWriter<W: Write> {
    writer: W,
    first: bool,
}

impl<W: Write> JsonEnvelopeWriter<W> {
    pub fn new(mut writer: W, exported_at: DateTime<Utc>) -> Result<Self, ExportError> {
        write!(
            writer,
            "{{\"format\":\"{EXPORT_FORMAT}\",\"version\":{EXPORT_VERSION},\"exported_at\":"
        )?;
        serde_json::to_writer(&mut writer, &exported_at)?;
        writer.write_all(b",\"items\":[")?;
        Ok(JsonEnvelopeWriter {
            writer,
            first: true,
        })
    }

    pub fn write_item<T: Serialize>(&mut self, item: &T) -> Result<(), ExportError> {
        if !self.first {
            self.writer.write_all(b",")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.writer, item)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.writer.write_all(b"]}")?;
        self.writer.flush()?;
        Ok(self.writer)
    }
}

/// One JSON value per line (`\n`), no envelope.
pub struct JsonLinesWriter<W: Write> {
    writer: W,
}

impl<W: Write> JsonLinesWriter<W> {
    pub fn new(writer: W) -> Self {
        JsonLinesWriter { writer }
    }

    pub fn write_item<T: Serialize>(&mut self, item: &T) -> Result<(), ExportError> {
        serde_json::to_writer(&mut self.writer, item)?;
        self.writer.write_all(b"\n")?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.writer.flush()?;
        Ok(self.writer)
    }
}
