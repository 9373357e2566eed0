//! HTML templates (minijinja), embedded in the binary; a theme folder may override any of them.

use crate::error::AppError;
use crate::i18n::{I18n, args_from_json};
use hromada_kernel::Lang;
use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value};
use std::path::Path;
use std::sync::Arc;

pub struct Templates {
    env: Environment<'static>,
}

/// Template sources of one part of the program: `(name, text)`; names are prefixed with the
/// owner's key (`about/contacts.html`), the shell's templates have none.
pub type TemplateSources = Vec<(String, String)>;

impl Templates {
    pub fn new(sources: &[TemplateSources], theme_dir: Option<&Path>, i18n: Arc<I18n>) -> anyhow::Result<Templates> {
        let mut env = Environment::new();
        for (name, text) in sources.iter().flatten() {
            let text = theme_dir
                .map(|dir| dir.join(name))
                .filter(|p| p.is_file())
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_else(|| text.clone());
            env.add_template_owned(name.clone(), text)?;
        }
        let tr = i18n.clone();
        env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let lang = current_lang(state);
            let mut map = serde_json::Map::new();
            for arg in kwargs.args() {
                let v: Value = kwargs.get(arg)?;
                let json = serde_json::to_value(&v).unwrap_or(serde_json::Value::Null);
                map.insert(arg.to_owned(), json);
            }
            if map.is_empty() { Ok(tr.t(lang, key)) } else { Ok(tr.t_args(lang, key, Some(&args_from_json(&map)))) }
        });
        env.add_function("url", |path: &str| -> String { RENDERING.with_borrow(|r| format!("{}{path}", r.1)) });
        env.add_filter("urlencode", |s: &str| -> String { crate::page::urlencode(s) });
        env.add_function("asset", |name: &str| -> String { crate::assets::versioned_url(name) });
        env.add_filter("linkify", |text: &str| Value::from_safe_string(linkify(text)));
        env.add_filter("datetime", |value: &str, state: &State| -> String {
            format_datetime(value, current_lang(state))
        });
        Ok(Templates { env })
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, AppError> {
        // Imported macros do not see the page's context, so the language and base path of the
        // page being rendered travel beside it, on this thread, for `t()` and `url()`.
        let lang = ctx.get_attr("lang").ok().and_then(|l| l.as_str().and_then(Lang::parse)).unwrap_or_default();
        let base = ctx.get_attr("base").ok().and_then(|b| b.as_str().map(str::to_owned)).unwrap_or_default();
        let previous = RENDERING.replace((lang, base));
        let result = self.render_inner(name, ctx);
        RENDERING.set(previous);
        result
    }

    fn render_inner(&self, name: &str, ctx: Value) -> Result<String, AppError> {
        let template =
            self.env.get_template(name).map_err(|e| AppError::unexpected(format!("template {name}: {e}")))?;
        template.render(ctx).map_err(|e| AppError::unexpected(format!("render {name}: {e:#}")))
    }

    pub fn names(&self) -> Vec<String> {
        self.env.templates().map(|(n, _)| n.to_owned()).collect()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}

/// Escapes plain text and turns http(s) addresses in it into links.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        out.push_str(&escape(&rest[..start]));
        let tail = &rest[start..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let url = escape(&tail[..end]);
        out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
        rest = &tail[end..];
    }
    out.push_str(&escape(rest));
    out
}

thread_local! {
    static RENDERING: std::cell::RefCell<(Lang, String)> = const { std::cell::RefCell::new((Lang::Uk, String::new())) };
}

fn current_lang(_state: &State) -> Lang {
    RENDERING.with_borrow(|r| r.0)
}

/// Kyiv local time, in the reader's language conventions.
fn format_datetime(value: &str, lang: Lang) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) else {
        return value.to_owned();
    };
    let local = hromada_kernel::clock::kyiv_time(t.with_timezone(&chrono::Utc));
    match lang {
        Lang::Uk => local.format("%d.%m.%Y %H:%M").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_made_and_text_escaped() {
        assert_eq!(
            linkify("Go <b> https://x.org/a?b=1&c=2 now"),
            "Go &lt;b&gt; <a href=\"https://x.org/a?b=1&amp;c=2\">https://x.org/a?b=1&amp;c=2</a> now"
        );
        assert_eq!(linkify("no links"), "no links");
    }

    #[test]
    fn a_theme_folder_overrides_the_templates_it_holds_and_no_others() {
        let dir = std::env::temp_dir().join(format!("hromada-theme-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("cms")).unwrap();
        std::fs::write(dir.join("cms/page.html"), "Своя сторінка: {{ title }}").unwrap();
        let sources = vec![vec![
            ("cms/page.html".to_owned(), "Вбудована: {{ title }}".to_owned()),
            ("cms/news.html".to_owned(), "Новина: {{ title }}".to_owned()),
        ]];
        let i18n = Arc::new(I18n::new(&[]).unwrap());
        let templates = Templates::new(&sources, Some(&dir), i18n).unwrap();
        let ctx = minijinja::context! { title => "Безпека" };
        assert_eq!(templates.render("cms/page.html", ctx.clone()).unwrap(), "Своя сторінка: Безпека");
        assert_eq!(templates.render("cms/news.html", ctx).unwrap(), "Новина: Безпека");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn kyiv_time_follows_summer_time() {
        assert_eq!(format_datetime("2026-01-15T10:00:00Z", Lang::Uk), "15.01.2026 12:00");
        assert_eq!(format_datetime("2026-07-15T10:00:00Z", Lang::Uk), "15.07.2026 13:00");
        assert_eq!(format_datetime("2026-07-15T10:00:00Z", Lang::En), "2026-07-15 13:00");
        assert_eq!(format_datetime("not a date", Lang::En), "not a date");
    }
}
