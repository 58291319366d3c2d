//! Platform services shared by every domain: the notification outbox and its senders (SMS,
//! e-mail, webhooks), one-time codes, files and payments.

pub mod email;
pub mod files;
pub mod files_http;
pub mod http;
pub mod otp;
pub mod outbox;
pub mod payments;
pub mod payments_http;
pub mod ratelimit;
pub mod sandbox;
pub mod sms;
pub mod webhooks;
pub mod worker;
