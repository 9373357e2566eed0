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
}

impl DomainEvent {
    /// A stable name for logs and listeners.
    pub fn name(&self) -> &'static str {
        match self {
            DomainEvent::PetitionPassedAsAppeal { .. } => "petition.passed_as_appeal",
            DomainEvent::AccountsNotified { .. } => "accounts.notified",
        }
    }
}
