//! A client that behaves like a browser with JavaScript off: keeps cookies, reads the CSRF
//! token from the form it was shown, submits forms, and lets the test follow redirects.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Clones share the cookie jar: one signed-in person sending several requests at once.
#[derive(Clone)]
pub struct Browser {
    client: reqwest::Client,
    base: String,
}

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> Option<String> {
        self.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The text of the page with tags removed and entities decoded, for asserting on wording.
    /// The body with character references decoded, for checking markup and links.
    pub fn html(&self) -> String {
        decode_entities(&self.body)
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        let out = decode_entities(&out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

pub fn decode_entities(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the first hidden `_csrf` input in a page.
pub fn csrf_token(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")?;
    let rest = &html[at + "name=\"_csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self { client, base: base.to_owned() }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Reply { status, headers, body }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub async fn get(&self, path: &str) -> Reply {
        Self::reply(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        Self::reply(request.send().await.expect("GET")).await
    }

    /// Follows redirects from `reply` (at most 10) and returns the final page.
    pub async fn follow(&self, mut reply: Reply) -> Reply {
        for _ in 0..10 {
            if !reply.status.is_redirection() {
                break;
            }
            let to = reply.location().expect("a redirect has a Location");
            reply = self.get(&to).await;
        }
        reply
    }

    /// POSTs a form as given (no CSRF token is added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        Self::reply(self.client.post(self.url(path)).form(fields).send().await.expect("POST")).await
    }

    /// Opens `page`, takes its CSRF token, and submits `fields` to `action` as its form would.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let shown = self.get(page).await;
        let token = csrf_token(&shown.body)
            .unwrap_or_else(|| panic!("no CSRF token on {page} ({}): {}", shown.status, shown.body));
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &token));
        Self::reply(self.client.post(self.url(action)).form(&all).send().await.expect("POST")).await
    }

    /// Like [`Browser::submit`], as `multipart/form-data` with files: `(field, file name, bytes)`.
    pub async fn submit_files(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        let shown = self.get(page).await;
        let token = csrf_token(&shown.body)
            .unwrap_or_else(|| panic!("no CSRF token on {page} ({}): {}", shown.status, shown.body));
        let mut form = reqwest::multipart::Form::new().text("_csrf", token);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            form = form
                .part(field.to_string(), reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()));
        }
        Self::reply(self.client.post(self.url(action)).multipart(form).send().await.expect("POST")).await
    }

    pub async fn login(&self, slug: &str, email: &str, password: &str) -> Reply {
        let page = format!("/c/{slug}/login");
        self.submit(&page, &page, &[("email", email), ("password", password)]).await
    }
}
