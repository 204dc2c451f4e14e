//! The e-mail sender: a background task of `phare serve` that takes due messages from the
//! outbox and sends them through the configured SMTP server (lettre, rustls).
//!
//! Messages are claimed in the database (one `UPDATE … RETURNING`, `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), so several instances each send different messages; no transaction is held
//! while talking to the SMTP server. A message is marked sent after the server accepted it; an
//! instance that dies between the two leaves a claim that goes stale, and another instance
//! sends the message again after ten minutes: delivery is at least once, never lost.

use anyhow::{Context, Result};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use phare_core::Phare;
use phare_store::OutboxMessage;
use std::time::Duration;

/// How often the sender looks for due messages: a sign-in code should arrive within seconds.
const POLL: Duration = Duration::from_secs(2);
/// Messages claimed at once.
const BATCH: i64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("invalid --smtp-url")?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("invalid --smtp-from address {from:?}"))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, m: &OutboxMessage, base_url: &str) -> Result<(), String> {
        let c = phare_web::portal::compose(m, base_url);
        let to: Mailbox = m
            .to_email
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(c.subject)
            .multipart(MultiPart::alternative_plain_html(c.text, c.html))
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Sends due messages until the task is aborted.
pub async fn run(phare: Phare, mailer: Mailer, base_url: String) {
    loop {
        match phare.claim_outbox(BATCH).await {
            Ok(batch) if !batch.is_empty() => {
                for m in &batch {
                    let result = mailer.send(m, &base_url).await;
                    let marked = match result {
                        Ok(()) => phare.outbox_sent(m.id).await,
                        Err(e) => {
                            tracing::warn!(id = %m.id, error = %e, "e-mail not sent");
                            phare.outbox_failed(m, &e).await
                        }
                    };
                    if let Err(e) = marked {
                        tracing::error!(id = %m.id, error = %e, "could not record the e-mail's outcome");
                    }
                }
                // More may be due: look again at once.
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim e-mails from the outbox"),
        }
        tokio::time::sleep(POLL).await;
    }
}
