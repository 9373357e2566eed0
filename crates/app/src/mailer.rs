//! Delivers the outbox over SMTP. Without an SMTP server the mail stays in the outbox, where
//! the development mail page shows it.

use crate::settings::Smtp;
use chrono::Duration;
use hromada_db::Db;
use hromada_db::core::outbox;
use hromada_kernel::Clock;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use tokio::sync::watch;

pub fn transport(smtp: &Smtp) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let builder = match smtp.security.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
    };
    let builder = builder.port(smtp.port).timeout(Some(std::time::Duration::from_secs(20)));
    let builder = match (&smtp.username, &smtp.password) {
        (Some(user), Some(pass)) => builder.credentials(Credentials::new(user.clone(), pass.clone())),
        _ => builder,
    };
    Ok(builder.build())
}

/// Sends what is due, once; returns how many messages went out.
pub async fn deliver_due(
    db: &Db,
    clock: &dyn Clock,
    smtp: &Smtp,
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    for mail in outbox::due(db, clock.now(), 50).await? {
        let message = Message::builder()
            .from(smtp.from.parse()?)
            .to(match mail.to_addr.parse() {
                Ok(to) => to,
                Err(e) => {
                    // A malformed address will not get better: park it far in the future.
                    outbox::mark_failed(db, mail.id, &format!("bad address: {e}"), clock.now() + Duration::days(3650))
                        .await?;
                    continue;
                }
            })
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body_text.clone())?;
        match mailer.send(message).await {
            Ok(_) => {
                outbox::mark_sent(db, mail.id, clock.now()).await?;
                sent += 1;
            }
            Err(e) => {
                // Back off: 1, 4, 9 … minutes, at most six hours.
                let minutes = ((mail.attempts + 1).pow(2)).min(360);
                tracing::warn!(error = %e, to = %mail.to_addr, "mail not sent, will retry");
                outbox::mark_failed(db, mail.id, &e.to_string(), clock.now() + Duration::minutes(minutes)).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs until `stop` turns true, checking the outbox every few seconds.
pub async fn run(db: Db, clock: Arc<dyn Clock>, smtp: Smtp, mut stop: watch::Receiver<bool>) {
    let mailer = match transport(&smtp) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "SMTP settings are not usable; mail stays in the outbox");
            return;
        }
    };
    loop {
        if let Err(e) = deliver_due(&db, clock.as_ref(), &smtp, &mailer).await {
            tracing::warn!(error = %e, "outbox delivery failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3)) => {}
            _ = stop.changed() => return,
        }
    }
}
