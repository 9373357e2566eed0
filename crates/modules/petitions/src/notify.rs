//! Mail about a petition: to its author (moderation decision, threshold, answer), to the
//! community's moderators (threshold reached), and to its signers (the answer).

use crate::store::{self, Petition};
use hromada_db::core::communities::Community;
use hromada_db::core::roles;
use hromada_kernel::{Role, UserId};
use hromada_web::{AppState, Tenant};

/// Which message: `{key}-subject` and `{key}-body` in the petition locales.
#[derive(Debug, Clone, Copy)]
pub enum Notice {
    Published,
    Refused,
    Returned,
    ThresholdReached,
    Answered,
    FellShort,
    /// To officials: the author passed a petition that fell short on as an appeal.
    PassedAsAppeal,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Published => "petition-mail-published",
            Notice::Refused => "petition-mail-refused",
            Notice::Returned => "petition-mail-returned",
            Notice::ThresholdReached => "petition-mail-threshold",
            Notice::Answered => "petition-mail-answered",
            Notice::FellShort => "petition-mail-fell-short",
            Notice::PassedAsAppeal => "petition-mail-passed-as-appeal",
        }
    }
}

async fn send(
    state: &AppState,
    community: &Community,
    p: &Petition,
    notice: Notice,
    to: &[UserId],
) -> anyhow::Result<()> {
    let tenant = Tenant { community: community.clone(), base: String::new() };
    let link = tenant.absolute_url(state, &format!("/petitions/{}", p.number)).await;
    let number = p.number.to_string();
    let values = [("title", p.title.as_str()), ("number", number.as_str()), ("link", link.as_str())];
    hromada_web::mail::to_accounts(state, community, to, notice.key(), &values).await?;
    Ok(())
}

pub async fn author(state: &AppState, community: &Community, p: &Petition, notice: Notice) -> anyhow::Result<()> {
    send(state, community, p, notice, &[p.author_id]).await
}

/// The community's administrators and moderators.
pub async fn officials(state: &AppState, community: &Community, p: &Petition, notice: Notice) -> anyhow::Result<()> {
    let ids: Vec<UserId> = roles::staff(&state.db, community.id)
        .await?
        .into_iter()
        .filter(|s| Role::parse(&s.role).is_some_and(|r| matches!(r, Role::Admin | Role::Moderator)))
        .map(|s| s.user_id)
        .collect();
    send(state, community, p, notice, &ids).await
}

pub async fn signers(state: &AppState, community: &Community, p: &Petition, notice: Notice) -> anyhow::Result<()> {
    let mut ids = store::signer_accounts(&state.db, community.id, p.id).await?;
    ids.retain(|id| *id != p.author_id);
    send(state, community, p, notice, &ids).await
}
