//! Mail about an appeal: to its author (acknowledgement, forwarding, return, extension, answer)
//! and to the officials (a new appeal, an assignment, a deadline near, an overdue escalation).

use crate::store::Appeal;
use hromada_db::core::communities::Community;
use hromada_db::core::{departments, roles};
use hromada_kernel::{Role, UserId};
use hromada_web::{AppState, Tenant};

/// Which message: `{key}-subject` and `{key}-body` in the appeal locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// To the author on receipt: the number, the date and when the answer is due.
    Registered,
    Forwarded,
    Returned,
    Extended,
    Answered,
    /// To the community's administrators, who assign appeals.
    New,
    /// To the officers of the department it was assigned to.
    Assigned,
    /// To whoever works it, a few working days before it is due.
    DueSoon,
    /// To the officer and the department's head once it is late.
    Overdue,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Registered => "appeal-mail-registered",
            Notice::Forwarded => "appeal-mail-forwarded",
            Notice::Returned => "appeal-mail-returned",
            Notice::Extended => "appeal-mail-extended",
            Notice::Answered => "appeal-mail-answered",
            Notice::New => "appeal-mail-new",
            Notice::Assigned => "appeal-mail-assigned",
            Notice::DueSoon => "appeal-mail-due-soon",
            Notice::Overdue => "appeal-mail-overdue",
        }
    }

    /// Officials open the inbox's page of the appeal; the author their own page.
    fn for_officials(self) -> bool {
        matches!(self, Notice::New | Notice::Assigned | Notice::DueSoon | Notice::Overdue)
    }
}

async fn send(
    state: &AppState,
    community: &Community,
    a: &Appeal,
    notice: Notice,
    to: &[UserId],
) -> anyhow::Result<()> {
    let tenant = Tenant { community: community.clone(), base: String::new() };
    let path = if notice.for_officials() { crate::admin_path(a) } else { crate::path(a) };
    let link = tenant.absolute_url(state, &path).await;
    let due = a.answer_due.format("%d.%m.%Y").to_string();
    let received = a.received_on.format("%d.%m.%Y").to_string();
    let note = match notice {
        Notice::Forwarded => a.forwarded_to.clone().unwrap_or_default(),
        Notice::Returned => a.return_reason.clone().unwrap_or_default(),
        Notice::Extended => a.extension_reason.clone().unwrap_or_default(),
        Notice::Answered => a.answer_text.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let values = [
        ("number", a.number.as_str()),
        ("link", link.as_str()),
        ("due", due.as_str()),
        ("received", received.as_str()),
        ("note", note.as_str()),
    ];
    hromada_web::mail::to_accounts(state, community, to, notice.key(), &values).await?;
    Ok(())
}

pub async fn author(state: &AppState, community: &Community, a: &Appeal, notice: Notice) -> anyhow::Result<()> {
    send(state, community, a, notice, &[a.author_id]).await
}

/// The community's administrators: they register and assign appeals.
pub async fn administrators(state: &AppState, community: &Community, a: &Appeal, notice: Notice) -> anyhow::Result<()> {
    let ids: Vec<UserId> = roles::staff(&state.db, community.id)
        .await?
        .into_iter()
        .filter(|s| Role::parse(&s.role) == Some(Role::Admin))
        .map(|s| s.user_id)
        .collect();
    send(state, community, a, notice, &ids).await
}

/// Whoever works the appeal: its officer, or else every officer of its department; with
/// `with_head`, the department's head too (an escalation). Nobody yet: the administrators.
pub async fn handlers(
    state: &AppState,
    community: &Community,
    a: &Appeal,
    notice: Notice,
    with_head: bool,
) -> anyhow::Result<()> {
    let mut ids: Vec<UserId> = a.officer_id.into_iter().collect();
    if let Some(department) = a.department_id {
        if ids.is_empty() {
            ids.extend(
                departments::officers(&state.db, community.id)
                    .await?
                    .into_iter()
                    .filter(|o| o.department_id == department)
                    .map(|o| o.user_id),
            );
        }
        if with_head {
            let list = departments::list(&state.db, community.id).await?;
            ids.extend(list.iter().filter(|d| d.id == department).filter_map(|d| d.head_id));
        }
    }
    if ids.is_empty() {
        return administrators(state, community, a, notice).await;
    }
    send(state, community, a, notice, &ids).await
}
