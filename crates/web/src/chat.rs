//! The chat vocabulary: what a resident sends the community's bot, what the bot answers, and the
//! flows through which each module offers its tasks in a chat.
//!
//! The bot engine (crate `hromada-bot`) turns a Telegram, Viber or web-chat update into an
//! [`Inbound`], hands it to the module's [`ChatFlow`] with what the flow remembered of the chat,
//! and renders the [`Reply`]s for the channel. A module never sees a channel.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tenant::Tenant;
use futures::future::BoxFuture;
use hromada_db::core::users::User;
use hromada_kernel::{GeoPoint, Lang};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The owner of photos residents send to the bot, pending until a flow gives them to its
/// object with `hromada_media::store::adopt`.
pub const CHAT_UPLOADS: &str = "chat";

/// What a resident sent, whatever the channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inbound {
    /// The first message, or a deep link's payload (`/start PAYLOAD`).
    Start {
        payload: Option<String>,
    },
    Text {
        text: String,
    },
    /// A pressed button: the data the flow put on it.
    Button {
        data: String,
    },
    /// A shared phone contact; `own` when it is the sender's own contact, as the channel says.
    Contact {
        phone: String,
        own: bool,
    },
    Location {
        point: GeoPoint,
    },
    /// A photo, already stored as an upload of the chat's account (or unattached).
    Photo {
        upload: Uuid,
    },
}

impl Inbound {
    pub fn text(&self) -> Option<&str> {
        match self {
            Inbound::Text { text } => Some(text.trim()),
            _ => None,
        }
    }

    pub fn button(&self) -> Option<&str> {
        match self {
            Inbound::Button { data } => Some(data),
            _ => None,
        }
    }
}

/// What a button does when pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Press {
    /// Comes back to the flow as [`Inbound::Button`]. Keep it short: with the flow's key it
    /// must fit Telegram's 64 bytes of callback data.
    Data(String),
    /// Opens a web page.
    Link(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub press: Press,
}

impl Button {
    pub fn data(label: impl Into<String>, data: impl Into<String>) -> Self {
        Button { label: label.into(), press: Press::Data(data.into()) }
    }

    pub fn link(label: impl Into<String>, url: impl Into<String>) -> Self {
        Button { label: label.into(), press: Press::Link(url.into()) }
    }
}

/// A request the channel shows as a special keyboard button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    Location,
    Contact,
    /// A photo: channels without a button for it just wait for one.
    Photo,
}

/// One message of the bot.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    /// Rows of buttons under the message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<Button>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
    /// An absolute URL of a picture to show with the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply { text: text.into(), ..Reply::default() }
    }

    /// Adds a row of buttons.
    pub fn row(mut self, row: Vec<Button>) -> Self {
        if !row.is_empty() {
            self.buttons.push(row);
        }
        self
    }

    /// Adds one button on a row of its own.
    pub fn button(self, button: Button) -> Self {
        self.row(vec![button])
    }

    pub fn ask(mut self, ask: Ask) -> Self {
        self.ask = Some(ask);
        self
    }
}

/// A way into a module from the bot's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Sent to the flow as a button press when the resident picks the entry.
    pub action: &'static str,
    /// Translation key of the label.
    pub label: &'static str,
    pub emoji: &'static str,
}

/// One turn of a conversation with a module's flow.
pub struct Turn<'a> {
    pub state: &'a AppState,
    pub tenant: &'a Tenant,
    pub lang: Lang,
    /// The account the chat is linked to.
    pub user: Option<&'a User>,
    /// The engine's id of the chat.
    pub chat: Uuid,
    pub input: &'a Inbound,
    /// What the flow asked the engine to keep after the previous turn; `Null` at the start.
    pub memory: &'a serde_json::Value,
    /// The community's public address, without a trailing slash, for links out of the chat.
    pub site: &'a str,
}

impl Turn<'_> {
    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key)
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.state.i18n.t_pairs(self.lang, key, args)
    }

    /// An absolute link to a page of the community.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.site)
    }

    /// The linked account, or the error the engine turns into "link your account first".
    pub fn require_user(&self) -> AppResult<&User> {
        self.user.ok_or(AppError::Unauthorized)
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.now()
    }
}

/// What a flow answers, and what it wants remembered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    pub replies: Vec<Reply>,
    /// `Some` keeps the conversation in this flow, with this memory, so that the next text,
    /// location or photo comes here; `None` ends it (buttons still reach the flow).
    pub memory: Option<serde_json::Value>,
}

impl Step {
    /// Answers and ends the flow's part of the conversation.
    pub fn done(replies: Vec<Reply>) -> Self {
        Step { replies, memory: None }
    }

    /// Answers and waits for the resident's next message.
    pub fn wait(replies: Vec<Reply>, memory: serde_json::Value) -> Self {
        Step { replies, memory: Some(memory) }
    }
}

/// A module's tasks in a chat. Every step takes the same identity level and the same rules as
/// the module's web pages: a flow calls the module's own functions, never a copy of them.
pub trait ChatFlow: Send + Sync + 'static {
    /// The module's key; button data is routed back by it.
    fn key(&self) -> &'static str;

    /// Ways in from the menu.
    fn entries(&self) -> Vec<Entry>;

    /// Answers one message. `Unauthorized` and `IdentityRequired` become the engine's standard
    /// "link your account" and "verify yourself" answers.
    fn handle<'a>(&'a self, turn: Turn<'a>) -> BoxFuture<'a, AppResult<Step>>;
}

/// Splits a button's data into an action and its argument: `"sign:12"` → `("sign", "12")`.
pub fn split_data(data: &str) -> (&str, &str) {
    data.split_once(':').unwrap_or((data, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_and_replies_keep_their_shape_in_json() {
        let photo = Inbound::Photo { upload: Uuid::nil() };
        let text = serde_json::to_string(&photo).unwrap();
        assert_eq!(serde_json::from_str::<Inbound>(&text).unwrap(), photo);
        let reply = Reply::text("Hi").button(Button::data("Yes", "y")).ask(Ask::Location);
        let json = serde_json::to_value(&reply).unwrap();
        assert_eq!(json["buttons"][0][0]["press"], serde_json::json!({"kind": "data", "value": "y"}));
        assert_eq!(serde_json::from_value::<Reply>(json).unwrap(), reply);
        assert_eq!(split_data("sign:12"), ("sign", "12"));
        assert_eq!(split_data("list"), ("list", ""));
    }
}
