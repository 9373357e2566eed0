use crate::{at, community, each, t0};
use hromada_db::core::outbox;
use uuid::Uuid;

fn ids(mails: &[outbox::Mail]) -> Vec<Uuid> {
    mails.iter().map(|m| m.id).collect()
}

#[tokio::test]
async fn due_respects_next_attempt_and_failures_push_it_later() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let first = outbox::enqueue(&t.db, Some(c.id), "a@example.com", "Тема", "Текст", t0()).await.expect("enqueue");
        let second = outbox::enqueue(&t.db, None, "ops@example.com", "Platform", "Body", at(5)).await.expect("enqueue");
        assert_eq!(outbox::pending_count(&t.db).await.expect("pending"), 2, "{b}");

        assert!(outbox::due(&t.db, at(-1), 10).await.expect("due").is_empty(), "{b}: nothing yet");
        assert_eq!(ids(&outbox::due(&t.db, at(4), 10).await.expect("due")), [first], "{b}");
        let due = outbox::due(&t.db, at(5), 10).await.expect("due");
        assert_eq!(ids(&due), [first, second], "{b}: oldest attempt first");
        assert_eq!(due[0].to_addr, "a@example.com", "{b}");
        assert_eq!(due[0].subject, "Тема", "{b}");
        assert_eq!(due[0].body_text, "Текст", "{b}");
        assert_eq!(due[0].attempts, 0, "{b}");
        assert_eq!(due[1].community_id, None, "{b}");
        assert_eq!(ids(&outbox::due(&t.db, at(5), 1).await.expect("due")), [first], "{b}: limit");

        // A failure moves the message behind the retry time.
        outbox::mark_failed(&t.db, first, "421 try later", at(600)).await.expect("failed");
        assert_eq!(ids(&outbox::due(&t.db, at(10), 10).await.expect("due")), [second], "{b}");
        let retried = outbox::due(&t.db, at(600), 10).await.expect("due");
        assert_eq!(ids(&retried), [second, first], "{b}: due again at the retry time, in order");
        let failed = &retried[1];
        assert_eq!(failed.attempts, 1, "{b}");
        assert_eq!(failed.last_error.as_deref(), Some("421 try later"), "{b}");
        assert_eq!(failed.next_attempt_at, at(600), "{b}");
        assert_eq!(outbox::pending_count(&t.db).await.expect("pending"), 2, "{b}: still pending");

        // Sent messages are never due again.
        outbox::mark_sent(&t.db, first, at(601)).await.expect("sent");
        assert_eq!(ids(&outbox::due(&t.db, at(10_000), 10).await.expect("due")), [second], "{b}");
        assert_eq!(outbox::pending_count(&t.db).await.expect("pending"), 1, "{b}");
        let sent = outbox::recent(&t.db, c.id, 10).await.expect("recent");
        assert_eq!(sent[0].sent_at, Some(at(601)), "{b}");
        assert_eq!(sent[0].attempts, 2, "{b}: the failed and the successful attempt");
        assert_eq!(sent[0].last_error, None, "{b}: error cleared");

        outbox::mark_sent(&t.db, second, at(602)).await.expect("sent");
        assert_eq!(outbox::pending_count(&t.db).await.expect("pending"), 0, "{b}");
        assert!(outbox::due(&t.db, at(10_000), 10).await.expect("due").is_empty(), "{b}");
    }
}

#[tokio::test]
async fn recent_is_per_community_newest_first() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let mut mine = Vec::new();
        for i in 0..4 {
            mine.push(
                outbox::enqueue(&t.db, Some(c.id), "a@example.com", &format!("#{i}"), "", at(i))
                    .await
                    .expect("enqueue"),
            );
        }
        outbox::enqueue(&t.db, Some(other.id), "b@example.com", "other", "", at(10)).await.expect("q");
        outbox::enqueue(&t.db, None, "ops@example.com", "platform", "", at(11)).await.expect("q");

        let recent = outbox::recent(&t.db, c.id, 3).await.expect("recent");
        assert_eq!(ids(&recent), [mine[3], mine[2], mine[1]], "{b}: newest first, limited");
        assert!(recent.iter().all(|m| m.community_id == Some(c.id)), "{b}");
        assert_eq!(outbox::recent(&t.db, other.id, 10).await.expect("recent").len(), 1, "{b}");
        assert_eq!(outbox::pending_count(&t.db).await.expect("pending"), 6, "{b}: all communities");
    }
}
