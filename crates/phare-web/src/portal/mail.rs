//! The e-mails of the portal, composed from an outbox message: a subject, a plain-text part
//! and an HTML part, in the recipient's language. Text that people wrote (titles, the public
//! description) is escaped in the HTML part, and Markdown goes through the one sanitizer
//! (`markdown::render`); the plain part uses `markdown::to_plain_text`.
//!
//! The outbox page shows these to admins, and the sender sends them: both use this function.

use crate::i18n::L10n;
use askama::Template;
use phare_domain::{markdown, IdeaStatus, OutboxKind};
use phare_store::OutboxMessage;

#[derive(Clone, Debug, PartialEq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "portal_mail.html")]
struct MailHtml<'a> {
    l: L10n,
    subject: &'a str,
    lines: Vec<String>,
    code: &'a str,
    quote_html: String,
    /// The public part of a decision's rationale, sanitized HTML, with its heading.
    note_label: String,
    note_html: String,
    link: &'a str,
    link_label: String,
    footer: String,
}

fn field<'a>(m: &'a OutboxMessage, name: &str) -> &'a str {
    m.payload.get(name).and_then(|v| v.as_str()).unwrap_or("")
}

/// Composes the message; `base_url` prefixes the portal paths the message links to.
pub fn compose(m: &OutboxMessage, base_url: &str) -> Composed {
    let l = L10n::new(m.locale);
    let product = field(m, "product");
    let link = format!("{}{}", base_url.trim_end_matches('/'), field(m, "path"));
    let footer = l.t1("mail-footer", "product", product);
    match m.kind {
        OutboxKind::SignInCode => {
            let code = field(m, "code");
            let minutes = m
                .payload
                .get("minutes")
                .and_then(|v| v.as_i64())
                .unwrap_or(phare_domain::SIGN_IN_CODE_MINUTES);
            let subject = l.t1("mail-code-subject", "product", product);
            // Once sent (or expired) the code is no longer kept: say so instead of showing it.
            let intro = if code.is_empty() {
                l.t("mail-code-gone")
            } else {
                l.t1("mail-code-intro", "product", product)
            };
            let expiry = l.t1("mail-code-expiry", "minutes", minutes);
            let ignore = l.t("mail-code-ignore");
            let text = format!(
                "{intro}\n\n{}\n\n{expiry}\n{ignore}\n\n-- \n{footer}\n",
                if code.is_empty() {
                    "······"
                } else {
                    code
                }
            );
            let html = MailHtml {
                l,
                subject: &subject,
                lines: vec![intro, expiry, ignore],
                code,
                quote_html: String::new(),
                note_label: String::new(),
                note_html: String::new(),
                link: "",
                link_label: String::new(),
                footer: footer.clone(),
            }
            .render()
            .unwrap_or_default();
            Composed {
                subject,
                text,
                html,
            }
        }
        OutboxKind::StatusChanged => {
            let title = field(m, "title");
            let status = |name: &str| {
                IdeaStatus::parse(field(m, name))
                    .map(|s| l.tv("portal-status", s))
                    .unwrap_or_default()
            };
            let (old, new) = (status("old_status"), status("new_status"));
            let subject = l.ta(
                "mail-status-subject",
                &[("title", title.to_owned()), ("status", new.clone())],
            );
            let change = l.ta(
                "mail-status-intro",
                &[
                    ("title", title.to_owned()),
                    ("old", old),
                    ("new", new),
                    ("product", product.to_owned()),
                ],
            );
            let description = field(m, "description");
            let plain = markdown::to_plain_text(description);
            let link_label = l.t("mail-status-link");
            let why = l.t("mail-status-why");
            let mut text = format!("{change}\n\n");
            if !plain.trim().is_empty() {
                text.push_str(plain.trim());
                text.push_str("\n\n");
            }
            // The public part of the decision's rationale, when a decision changed the status.
            let note = field(m, "rationale");
            let note_plain = markdown::to_plain_text(note);
            let note_label = if note_plain.trim().is_empty() {
                String::new()
            } else {
                l.t("mail-status-rationale")
            };
            if !note_label.is_empty() {
                text.push_str(&format!("{note_label}\n{}\n\n", note_plain.trim()));
            }
            text.push_str(&format!("{link_label}: {link}\n\n{why}\n\n-- \n{footer}\n"));
            let html = MailHtml {
                l,
                subject: &subject,
                lines: vec![change],
                code: "",
                quote_html: markdown::render(description),
                note_html: if note_label.is_empty() {
                    String::new()
                } else {
                    markdown::render(note)
                },
                note_label,
                link: &link,
                link_label,
                footer: format!("{why} {footer}"),
            }
            .render()
            .unwrap_or_default();
            Composed {
                subject,
                text,
                html,
            }
        }
    }
}
