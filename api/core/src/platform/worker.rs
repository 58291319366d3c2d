//! The outbox worker: claims due messages, sends them, records what happened; and asks the SMS
//! gateway which sent messages were delivered. Several processes may run it at once.

use std::sync::Arc;
use std::time::Instant;

use actix_web::web;

use crate::config::Config;
use crate::db::Pool;
use crate::platform::email::EmailSender;
use crate::platform::outbox::{self, Message};
use crate::platform::sms::{Delivery, SmsSender};
use crate::platform::webhooks;

const BATCH: i64 = 20;
/// Delivery is asked about once every this many polls.
const DELIVERY_EVERY: u32 = 10;

pub struct OutboxWorker {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub sms: SmsSender,
    pub email: EmailSender,
    /// Posts webhook deliveries.
    pub http: reqwest::Client,
    /// Names this process in leases.
    pub owner: String,
}

impl OutboxWorker {
    pub fn new(pool: Pool, config: Arc<Config>) -> Result<Self, String> {
        let sms = SmsSender::from_config(&config.sms, &config.sms_sender);
        let email = EmailSender::from_config(config.smtp_url.as_deref(), &config.smtp_from)?;
        let owner = format!("{}-{}", std::process::id(), &uuid::Uuid::new_v4().to_string()[..8]);
        let http = webhooks::client(config.webhook_private_targets)?;
        Ok(Self { pool, config, sms, email, http, owner })
    }

    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut crate::db::DbConn) -> diesel::QueryResult<T> + Send + 'static,
    ) -> Result<T, String> {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            f(&mut conn).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    async fn deliver(&self, msg: &Message) -> Result<Option<String>, String> {
        match msg.channel.as_str() {
            "sms" => self.sms.send(msg).await,
            "email" => {
                let (email, m) = (self.email.clone(), msg.clone());
                web::block(move || email.send(&m)).await.map_err(|e| e.to_string())??;
                Ok(None)
            }
            "webhook" => {
                let subscription = msg.recipient.clone();
                let Some((url, secret)) = self.db(move |c| webhooks::target(c, &subscription)).await? else {
                    return Err("the subscription is disabled or deleted".into());
                };
                let event = msg.subject.as_deref().unwrap_or_default();
                let private = self.config.webhook_private_targets;
                webhooks::post(&self.http, &url, &secret, &msg.id, event, &msg.body, private).await?;
                Ok(None)
            }
            other => Err(format!("unknown channel {other}")),
        }
    }

    /// One pass: claim a batch, send its messages concurrently (each waits on a gateway, not on
    /// this process), record each outcome. Returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, String> {
        let (owner, lease) = (self.owner.clone(), self.config.outbox.lease);
        let batch = self.db(move |c| outbox::claim(c, &owner, lease, BATCH)).await?;
        let handled = batch.len();
        let outcomes = futures_util::future::join_all(batch.into_iter().map(|msg| self.send_one(msg))).await;
        outcomes.into_iter().collect::<Result<Vec<()>, String>>()?;
        Ok(handled)
    }

    async fn send_one(&self, msg: Message) -> Result<(), String> {
        let outcome = self.deliver(&msg).await;
        let (owner, policy) = (self.owner.clone(), self.config.outbox.clone());
        match outcome {
            Ok(provider_id) => {
                let id = msg.id.clone();
                self.db(move |c| outbox::record_sent(c, &id, &owner, provider_id.as_deref())).await?;
            }
            Err(error) => {
                tracing::warn!(message_id = %msg.id, channel = %msg.channel, attempt = msg.attempts + 1, %error, "send failed");
                self.db(move |c| outbox::record_failure(c, &policy, &msg, &owner, &error)).await?;
            }
        }
        Ok(())
    }

    /// Asks the gateway about sent SMS and records delivered or undelivered ones.
    pub async fn check_deliveries(&self) -> Result<(), String> {
        if self.sms.is_log() {
            return Ok(());
        }
        let waiting = self.db(|c| outbox::awaiting_delivery(c, BATCH)).await?;
        for msg in waiting {
            let Some(pid) = msg.provider_message_id.clone() else { continue };
            match self.sms.delivery(&pid).await {
                Ok(Delivery::Pending) => {}
                Ok(d) => {
                    let id = msg.id.clone();
                    self.db(move |c| outbox::record_delivery(c, &id, d == Delivery::Delivered)).await?;
                }
                Err(error) => tracing::warn!(message_id = %msg.id, %error, "delivery status unavailable"),
            }
        }
        Ok(())
    }

    /// Runs until the process stops.
    pub async fn run(self) {
        tracing::info!(owner = %self.owner, "outbox worker started");
        let mut polls = 0u32;
        loop {
            let started = Instant::now();
            let handled = match self.run_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "outbox pass failed");
                    0
                }
            };
            polls = polls.wrapping_add(1);
            if polls.is_multiple_of(DELIVERY_EVERY)
                && let Err(e) = self.check_deliveries().await
            {
                tracing::error!(error = %e, "delivery check failed");
            }
            // A full batch means more are waiting: go on at once instead of sleeping.
            if handled < BATCH as usize {
                let wait = self.config.outbox.poll.saturating_sub(started.elapsed());
                actix_web::rt::time::sleep(wait).await;
            }
        }
    }
}
