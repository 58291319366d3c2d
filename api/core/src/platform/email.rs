//! Sending e-mail: through SMTP (`lettre`, STARTTLS or TLS as the URL says), or to the log in
//! development.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{SmtpTransport, Transport};

use crate::platform::outbox::Message;

#[derive(Clone)]
pub enum EmailSender {
    /// Writes each message, codes included, to the log. Development only.
    Log,
    Smtp {
        transport: Box<SmtpTransport>,
        from: Mailbox,
    },
}

impl EmailSender {
    /// `smtp://host:port` (plain, for local sinks), `smtp://host?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS); none: the log.
    pub fn from_config(url: Option<&str>, from: &str) -> Result<Self, String> {
        let Some(url) = url else { return Ok(Self::Log) };
        let transport = Box::new(SmtpTransport::from_url(url).map_err(|e| format!("ANJOMAN_SMTP_URL: {e}"))?.build());
        let from: Mailbox = from.parse().map_err(|e| format!("ANJOMAN_SMTP_FROM: {e}"))?;
        Ok(Self::Smtp { transport, from })
    }

    /// Sends one message. Blocking: call off the async workers.
    pub fn send(&self, msg: &Message) -> Result<(), String> {
        match self {
            Self::Log => {
                tracing::info!(to = %msg.recipient, purpose = %msg.purpose, subject = ?msg.subject, body = %msg.body, "e-mail (log provider)");
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let to: Mailbox = msg.recipient.parse().map_err(|e| format!("bad recipient: {e}"))?;
                let email = lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(msg.subject.clone().unwrap_or_else(|| "Anjoman".into()))
                    .header(ContentType::TEXT_PLAIN)
                    .body(msg.body.clone())
                    .map_err(|e| format!("cannot build the message: {e}"))?;
                transport.send(&email).map(|_| ()).map_err(|e| format!("SMTP: {e}"))
            }
        }
    }
}
