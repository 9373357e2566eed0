//! Who is asking: the session or API token behind a request, passwords, and secrets derived
//! from the installation key.

use crate::cache::ViewerEntry;
use crate::cookies;
use crate::error::AppError;
use crate::state::AppState;
use crate::tenant::Tenant;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use hmac::{Hmac, Mac};
use hromada_db::core::operators::Operator;
use hromada_db::core::users::User;
use hromada_db::core::{accounts, changes, operators, sessions};
use hromada_kernel::permissions::allowed;
use hromada_kernel::{IdentityLevel, Permission, Role};
use sha2::{Digest, Sha256};

/// The person behind the request, if signed in.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<User>,
    pub roles: Vec<Role>,
    pub operator: Option<Operator>,
    pub session_hash: Option<Vec<u8>>,
    /// Signed in with an API token rather than a browser session.
    pub by_token: bool,
}

impl Viewer {
    pub fn may(&self, permission: Permission) -> bool {
        self.user.is_some() && allowed(&self.roles, permission)
    }

    /// The account, or `Unauthorized` (which sends a browser to the sign-in page).
    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn require(&self, permission: Permission) -> Result<&User, AppError> {
        let user = self.require_user()?;
        if allowed(&self.roles, permission) { Ok(user) } else { Err(AppError::Forbidden) }
    }

    pub fn require_operator(&self) -> Result<&Operator, AppError> {
        self.operator.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn identity_level(&self) -> IdentityLevel {
        self.user.as_ref().map(|u| u.identity_level()).unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned().unwrap_or_default())
    }
}

/// Loads the viewer of a community request: a session cookie of this community, or an API
/// token on `/api/` paths (where cookies are ignored, so the API needs no CSRF token).
pub async fn load_community_viewer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut viewer = Viewer::default();
    if let Some(tenant) = req.extensions().get::<Tenant>() {
        let community = tenant.community.id;
        let api = req.uri().path().starts_with("/api/");
        let token = if api { bearer(req.headers()) } else { cookies::get(req.headers(), cookies::SESSION) };
        let credential = token.map(|t| Credential::new(api, &t));
        let now = state.now();
        if let Some(credential) = credential
            && let Some(entry) = signed_in(&state, community, &credential, now).await
        {
            if api {
                state.token_uses.lock().expect("token uses lock").insert((community, credential.hash), now);
            } else {
                viewer.session_hash = Some(credential.hash);
            }
            viewer.by_token = api;
            viewer.user = Some(entry.user);
            viewer.roles = entry.roles;
        }
    }
    req.extensions_mut().insert(viewer.clone());
    let mut response = next.run(req).await;
    response.extensions_mut().insert(viewer);
    response
}

/// A session cookie or an API token, as the hash the database keeps; the kind is part of the
/// cache key so that neither can pass for the other.
struct Credential {
    api: bool,
    hash: Vec<u8>,
}

impl Credential {
    fn new(api: bool, token: &str) -> Self {
        Self { api, hash: hash_token(token) }
    }

    fn cache_key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.hash.len() + 1);
        key.push(u8::from(self.api));
        key.extend_from_slice(&self.hash);
        key
    }
}

/// The account behind a credential in a community, from this node's cache when it is fresh.
async fn signed_in(
    state: &AppState,
    community: hromada_kernel::CommunityId,
    credential: &Credential,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<ViewerEntry> {
    let key = credential.cache_key();
    if let Some(hit) = state.cache.viewer(community, &key) {
        let live = hit.session_expires_at.is_none_or(|at| at > now);
        return live.then_some(hit);
    }
    let generation = changes::generation();
    let entry = if credential.api {
        accounts::by_api_token(&state.db, community, &credential.hash).await
    } else {
        accounts::by_session(&state.db, community, &credential.hash, now).await
    };
    let entry = entry.ok().flatten()?;
    state.cache.put_viewer(community, key, entry.clone(), generation);
    Some(entry)
}

/// Loads a platform operator's session on platform pages.
pub async fn load_platform_viewer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut viewer = Viewer::default();
    if let Some(token) = cookies::get(req.headers(), cookies::SESSION) {
        let hash = hash_token(&token);
        if let Ok(Some(s)) = sessions::find(&state.db, &hash, state.now()).await
            && s.community_id.is_none()
            && let Some(id) = s.operator_id
        {
            viewer.operator = operators::by_id(&state.db, id).await.ok().flatten();
            viewer.session_hash = Some(hash);
        }
    }
    req.extensions_mut().insert(viewer.clone());
    let mut response = next.run(req).await;
    response.extensions_mut().insert(viewer);
    response
}

fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// A new random secret token (256 bits), URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A receipt code a person can read out and type (for a signature or a ballot): 12 characters
/// (60 random bits) with no look-alikes (0/O, 1/I) and no leading dash that a command line
/// would take for an option.
pub fn receipt_code() -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    bytes.iter().map(|b| ALPHABET[usize::from(b % 32)] as char).collect()
}

/// What is stored instead of a token.
pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// HMAC-SHA256 of `message` under the installation secret.
pub fn keyed_hash(secret: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The identifier of a person: a keyed hash of the normalized tax number. The number itself
/// is never stored.
pub fn person_key(secret: &[u8], tax_number: &str) -> Option<Vec<u8>> {
    let normalized = hromada_kernel::normalize_tax_number(tax_number)?;
    Some(keyed_hash(secret, format!("person:{normalized}").as_bytes()))
}

/// What age and residency rules need to know of an account.
pub fn eligibility_of(user: &User) -> hromada_kernel::Person {
    hromada_kernel::Person {
        birth_year: user.birth_year.map(|y| y as i32),
        resident: user.settlement_id.is_some(),
        idp_registered: user.idp_registered_at.is_some(),
    }
}

/// Who counts as one person for "one signature / one ballot / one response": the person key
/// when verified by e-ID, the account otherwise.
pub fn one_person_key(user: &User) -> Vec<u8> {
    match &user.person_key {
        Some(key) => [b"p:".as_slice(), key].concat(),
        None => [b"u:".as_slice(), user.id.as_bytes()].concat(),
    }
}

/// Hashes a password with argon2id (off the async threads: it takes tens of milliseconds on purpose).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::unexpected(format!("hash password: {e}")))
    })
    .await
    .map_err(|e| AppError::unexpected(e.to_string()))?
}

/// Checks a password against a stored hash. With no hash, a dummy one is checked so that the
/// answer takes as long as for a real account.
pub async fn verify_password(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordVerifier;
        use argon2::password_hash::phc::PasswordHash;
        let stored = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(b"not a real password").map(|h| h.to_string()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn receipt_codes_are_twelve_plain_characters() {
        for _ in 0..200 {
            let code = super::receipt_code();
            assert_eq!(code.len(), 12);
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{code}");
            assert!(!code.contains(['0', '1', 'O', 'I']), "{code}");
        }
        assert_ne!(super::receipt_code(), super::receipt_code());
    }
}
