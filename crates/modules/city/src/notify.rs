//! Mail about reports, through the core outbox: to moderators (a report waits), to a report's
//! followers (published, refused, a new status, merged), and to the followers of an area (a new
//! report published in it). Open311 reports without an account reach their author's e-mail.

use crate::store::{self, Follow, Report};
use hromada_db::core::communities::Community;
use hromada_db::core::{outbox, roles, users};
use hromada_kernel::{Lang, Role, UserId};
use hromada_web::{AppState, Tenant};

/// Which message: `{key}-subject` and `{key}-body` in the city locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Submitted,
    Published,
    Rejected,
    StatusChanged,
    Merged,
    NewInArea,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Submitted => "city-mail-submitted",
            Notice::Published => "city-mail-published",
            Notice::Rejected => "city-mail-rejected",
            Notice::StatusChanged => "city-mail-status",
            Notice::Merged => "city-mail-merged",
            Notice::NewInArea => "city-mail-new-in-area",
        }
    }
}

/// Someone to write to: an account (in its own language) or a bare address.
enum To {
    Account(UserId),
    Address(String),
}

async fn send(
    state: &AppState,
    community: &Community,
    r: &Report,
    notice: Notice,
    note: &str,
    to: Vec<To>,
) -> anyhow::Result<()> {
    let tenant = Tenant { community: community.clone(), base: String::new() };
    let link = tenant.absolute_url(state, &format!("/city/{}", r.number)).await;
    for recipient in to {
        let (email, lang) = match recipient {
            To::Account(id) => {
                let Some(user) = users::by_id(&state.db, community.id, id).await? else { continue };
                let Some(email) = user.email else { continue };
                (email, Lang::parse(&user.lang).unwrap_or_default())
            }
            To::Address(email) => (email, Lang::default()),
        };
        let status = state.i18n.t(lang, &format!("city-status-{}", r.status));
        let number = r.number.to_string();
        let values = serde_json::Map::from_iter(
            [
                ("number", number.as_str()),
                ("link", link.as_str()),
                ("status", status.as_str()),
                ("note", note),
                ("community", community.name(lang)),
            ]
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned()))),
        );
        let args = hromada_web::i18n::args_from_json(&values);
        let subject = state.i18n.t_args(lang, &format!("{}-subject", notice.key()), Some(&args));
        let body = state.i18n.t_args(lang, &format!("{}-body", notice.key()), Some(&args));
        outbox::enqueue(&state.db, Some(community.id), &email, &subject, &body, state.now()).await?;
    }
    Ok(())
}

/// The community's administrators and moderators: a report waits for them.
pub async fn moderators(state: &AppState, community: &Community, r: &Report) -> anyhow::Result<()> {
    let mut ids: Vec<UserId> = roles::staff(&state.db, community.id)
        .await?
        .into_iter()
        .filter(|s| Role::parse(&s.role).is_some_and(|r| matches!(r, Role::Admin | Role::Moderator)))
        .map(|s| s.user_id)
        .collect();
    ids.sort();
    ids.dedup();
    send(state, community, r, Notice::Submitted, "", ids.into_iter().map(To::Account).collect()).await
}

/// The report's followers (its author among them), and an Open311 author by address.
pub async fn followers(
    state: &AppState,
    community: &Community,
    r: &Report,
    notice: Notice,
    note: &str,
) -> anyhow::Result<()> {
    let mut to: Vec<To> =
        store::subscribers(&state.db, community.id, Follow::Report(r.id)).await?.into_iter().map(To::Account).collect();
    if r.author_id.is_none()
        && let Some(email) = &r.author_email
    {
        to.push(To::Address(email.clone()));
    }
    send(state, community, r, notice, note, to).await
}

/// Followers of the report's settlement, about a newly published report (not those who
/// follow the report already: they hear of it as followers).
pub async fn area(state: &AppState, community: &Community, r: &Report) -> anyhow::Result<()> {
    let Some(settlement) = r.settlement_id else { return Ok(()) };
    let already = store::subscribers(&state.db, community.id, Follow::Report(r.id)).await?;
    let to = store::subscribers(&state.db, community.id, Follow::Area(settlement))
        .await?
        .into_iter()
        .filter(|id| !already.contains(id))
        .map(To::Account)
        .collect();
    send(state, community, r, Notice::NewInArea, "", to).await
}
