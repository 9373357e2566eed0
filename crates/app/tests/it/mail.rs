//! The outbox is delivered over SMTP to a local sink that speaks the protocol.

use hromada_app::mailer;
use hromada_app::settings::Smtp;
use hromada_db::core::outbox;
use hromada_db::testing::TestDb;
use hromada_kernel::{Clock, SystemClock};
use hromada_testkit::fakes::SmtpSink;

fn smtp(port: u16) -> Smtp {
    Smtp {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        from: "Громада <noreply@hromada.test>".into(),
        security: "none".into(),
    }
}

#[tokio::test]
async fn due_mail_is_delivered_and_failures_are_retried_later() {
    let migrations = hromada_app::all_migrations(&hromada_app::modules());
    for t in TestDb::each(&migrations).await {
        let clock = SystemClock;
        let sink = SmtpSink::start().await;
        let id = outbox::enqueue(
            &t.db,
            None,
            "olena@example.org",
            "Підтвердіть пошту",
            "Посилання: https://x.test/confirm/abc",
            clock.now(),
        )
        .await
        .unwrap();
        outbox::enqueue(&t.db, None, "not an address", "Тема", "Текст", clock.now()).await.unwrap();

        let settings = smtp(sink.addr.port());
        let transport = mailer::transport(&settings).unwrap();
        let sent = mailer::deliver_due(&t.db, &clock, &settings, &transport).await.unwrap();
        assert_eq!(sent, 1, "[{}]", t.backend_name());
        let got = sink.messages();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].to, vec!["olena@example.org".to_owned()]);
        assert!(got[0].data.contains("Subject:"), "{}", got[0].data);
        assert_eq!(
            outbox::pending_count(&t.db).await.unwrap(),
            1,
            "the malformed address is parked, not retried every tick"
        );
        assert!(outbox::due(&t.db, clock.now(), 10).await.unwrap().is_empty());
        let again = mailer::deliver_due(&t.db, &clock, &settings, &transport).await.unwrap();
        assert_eq!(again, 0, "nothing is sent twice");
        let _ = id;

        // With the mail server away, the message stays and is tried again later.
        outbox::enqueue(&t.db, None, "petro@example.org", "Тема", "Текст", clock.now()).await.unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let away = smtp(closed);
        let transport = mailer::transport(&away).unwrap();
        assert_eq!(mailer::deliver_due(&t.db, &clock, &away, &transport).await.unwrap(), 0);
        assert_eq!(outbox::pending_count(&t.db).await.unwrap(), 2);
        assert!(outbox::due(&t.db, clock.now(), 10).await.unwrap().is_empty(), "retry is scheduled for later");
        let later = clock.now() + chrono::Duration::minutes(2);
        let retry = outbox::due(&t.db, later, 10).await.unwrap();
        assert_eq!(retry.len(), 1);
        assert_eq!(retry[0].attempts, 1);
        assert!(retry[0].last_error.is_some());
    }
}
