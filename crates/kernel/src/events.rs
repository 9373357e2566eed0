//! What one feature does that another may act on. Modules never call each other: a module
//! publishes an event, and the app decides who listens.

use crate::{CommunityId, UserId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub enum DomainEvent {
    /// A petition that fell short of its signatures was passed on by its author, to be handled
    /// as an ordinary appeal under the Law "On citizens' appeals" (art. 23-1).
    PetitionPassedAsAppeal {
        community: CommunityId,
        petition: Uuid,
        number: i64,
        author: UserId,
        title: String,
        /// The petition's text (markdown), which becomes the essence of the appeal.
        body: String,
        signatures: i64,
        at: DateTime<Utc>,
    },
    /// Accounts were told something by mail (an appeal answered, a petition's threshold
    /// reached): the message `{key}-body` with these values. Other channels the residents
    /// linked (the chatbot) may tell them too.
    AccountsNotified { community: CommunityId, accounts: Vec<UserId>, key: String, values: Vec<(String, String)> },
    /// A news item went out on the site (at once, or at its scheduled time): subscribers of the
    /// settlements it is for may be told in their messengers. Published once per item.
    NewsPublished {
        community: CommunityId,
        news: Uuid,
        title: String,
        summary: String,
        /// The item's absolute address.
        url: String,
        /// An absolute address of its cover picture.
        image: Option<String>,
        /// Empty for the whole community.
        settlements: Vec<Uuid>,
    },
}

impl DomainEvent {
    /// A stable name for logs and listeners.
    pub fn name(&self) -> &'static str {
        match self {
            DomainEvent::PetitionPassedAsAppeal { .. } => "petition.passed_as_appeal",
            DomainEvent::AccountsNotified { .. } => "accounts.notified",
            DomainEvent::NewsPublished { .. } => "news.published",
        }
    }
}
