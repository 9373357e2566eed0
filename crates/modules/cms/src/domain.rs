//! The site's rules, free of storage and HTTP: what a page is made of, what each block needs
//! before it may be saved, which addresses a page may take, which video hosts may be embedded.

use hromada_kernel::Lang;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A page's content as one revision holds it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageContent {
    pub title_uk: String,
    #[serde(default)]
    pub title_en: String,
    /// One or two sentences for search results, link previews and the page's description.
    #[serde(default)]
    pub summary_uk: String,
    #[serde(default)]
    pub summary_en: String,
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// Picks the English text where there is one; Ukrainian is always there.
pub fn pick<'a>(lang: Lang, uk: &'a str, en: &'a str) -> &'a str {
    lang.pick(uk, Some(en))
}

impl PageContent {
    pub fn title(&self, lang: Lang) -> &str {
        pick(lang, &self.title_uk, &self.title_en)
    }

    pub fn summary(&self, lang: Lang) -> &str {
        pick(lang, &self.summary_uk, &self.summary_en)
    }
}

impl PageContent {
    /// Everything a reader can read on the page, in both languages, for the site search.
    pub fn search_text(&self) -> String {
        let mut parts: Vec<String> =
            [&self.title_uk, &self.title_en, &self.summary_uk, &self.summary_en].map(|s| s.to_string()).to_vec();
        let plain = |s: &str| strip_markdown(s);
        for block in &self.blocks {
            match block {
                Block::Text { uk, en } | Block::Notice { uk, en, .. } => parts.extend([plain(uk), plain(en)]),
                Block::Image { alt_uk, alt_en, caption_uk, caption_en, .. } => {
                    parts.extend([alt_uk, alt_en, caption_uk, caption_en].map(|s| s.to_string()))
                }
                Block::Gallery { images } => parts.extend(images.iter().map(|i| i.alt_uk.clone())),
                Block::Tiles { items } => {
                    for t in items {
                        parts.extend([&t.title_uk, &t.title_en, &t.text_uk, &t.text_en].map(|s| s.to_string()));
                    }
                }
                Block::Faq { items } => {
                    for q in items {
                        parts.extend([
                            q.question_uk.clone(),
                            q.question_en.clone(),
                            plain(&q.answer_uk),
                            plain(&q.answer_en),
                        ]);
                    }
                }
                Block::Video { title_uk, title_en, .. } => parts.extend([title_uk.clone(), title_en.clone()]),
                Block::News { .. } | Block::Documents { .. } | Block::Widget { .. } => {}
            }
        }
        fold(&parts.join(" "))
    }

    /// A line for search results: the summary, or the beginning of the first text.
    pub fn excerpt(&self) -> String {
        if !self.summary_uk.trim().is_empty() {
            return hromada_kernel::text::excerpt(&self.summary_uk, 200);
        }
        let first = self.blocks.iter().find_map(|b| match b {
            Block::Text { uk, .. } => Some(uk.as_str()),
            _ => None,
        });
        hromada_kernel::text::excerpt(&strip_markdown(first.unwrap_or_default()), 200)
    }
}

/// Markdown as plain words, for excerpts: marks and link addresses dropped.
pub fn strip_markdown(md: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(md) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak | pulldown_cmark::Event::End(_) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One part of a page, in the order the editors put them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Markdown, rendered and sanitised.
    Text {
        uk: String,
        en: String,
    },
    /// A highlighted message: an outage, a change of reception hours, an alert.
    Notice {
        level: NoticeLevel,
        uk: String,
        en: String,
    },
    Image {
        media: Uuid,
        alt_uk: String,
        alt_en: String,
        caption_uk: String,
        caption_en: String,
    },
    Gallery {
        images: Vec<GalleryImage>,
    },
    /// The latest published news, of one category or all.
    News {
        count: i64,
        category: String,
    },
    /// The latest documents, of one category or all.
    Documents {
        count: i64,
        category: String,
    },
    Tiles {
        items: Vec<Tile>,
    },
    Faq {
        items: Vec<Question>,
    },
    /// A video from an allowed host, embedded without tracking cookies where the host allows.
    Video {
        url: String,
        title_uk: String,
        title_en: String,
    },
    /// Something another module draws (a survey, the latest petitions, the officials).
    Widget {
        key: String,
        choice: String,
    },
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NoticeLevel {
    Info,
    Warning,
    Alert,
}

impl NoticeLevel {
    pub const ALL: [NoticeLevel; 3] = [NoticeLevel::Info, NoticeLevel::Warning, NoticeLevel::Alert];

    pub fn code(self) -> &'static str {
        match self {
            NoticeLevel::Info => "info",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Alert => "alert",
        }
    }

    pub fn parse(code: &str) -> Option<NoticeLevel> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GalleryImage {
    pub media: Uuid,
    pub alt_uk: String,
    #[serde(default)]
    pub alt_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tile {
    pub title_uk: String,
    #[serde(default)]
    pub title_en: String,
    pub href: String,
    #[serde(default)]
    pub text_uk: String,
    #[serde(default)]
    pub text_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Question {
    pub question_uk: String,
    #[serde(default)]
    pub question_en: String,
    /// Markdown.
    pub answer_uk: String,
    #[serde(default)]
    pub answer_en: String,
}

/// The kinds of block the site itself offers, in the order the editor lists them.
pub const BLOCK_KINDS: [&str; 9] = ["text", "notice", "image", "gallery", "news", "documents", "tiles", "faq", "video"];

/// The longest markdown text a block keeps.
const MAX_TEXT: usize = 50_000;
const MAX_ITEMS: usize = 24;

impl Block {
    pub fn kind(&self) -> &'static str {
        match self {
            Block::Text { .. } => "text",
            Block::Notice { .. } => "notice",
            Block::Image { .. } => "image",
            Block::Gallery { .. } => "gallery",
            Block::News { .. } => "news",
            Block::Documents { .. } => "documents",
            Block::Tiles { .. } => "tiles",
            Block::Faq { .. } => "faq",
            Block::Video { .. } => "video",
            Block::Widget { .. } => "widget",
        }
    }

    /// An empty block of a kind, for the editor to fill in.
    pub fn empty(kind: &str) -> Option<Block> {
        Some(match kind {
            "text" => Block::Text { uk: String::new(), en: String::new() },
            "notice" => Block::Notice { level: NoticeLevel::Info, uk: String::new(), en: String::new() },
            "image" => Block::Image {
                media: Uuid::nil(),
                alt_uk: String::new(),
                alt_en: String::new(),
                caption_uk: String::new(),
                caption_en: String::new(),
            },
            "gallery" => Block::Gallery { images: vec![] },
            "news" => Block::News { count: 3, category: String::new() },
            "documents" => Block::Documents { count: 5, category: String::new() },
            "tiles" => Block::Tiles { items: vec![] },
            "faq" => Block::Faq { items: vec![] },
            "video" => Block::Video { url: String::new(), title_uk: String::new(), title_en: String::new() },
            _ => return None,
        })
    }

    /// What keeps the block from being saved, as `(field, message key)`. An image without a
    /// text alternative is refused: residents who do not see it must still get its meaning.
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = vec![];
        let mut need = |ok: bool, field: &str, key: &'static str| {
            if !ok {
                out.push((field.to_owned(), key));
            }
        };
        let filled = |s: &str| !s.trim().is_empty();
        match self {
            Block::Text { uk, en } | Block::Notice { uk, en, .. } => {
                need(filled(uk), "uk", "cms-invalid-text");
                need(uk.len() <= MAX_TEXT && en.len() <= MAX_TEXT, "uk", "cms-invalid-too-long");
            }
            Block::Image { media, alt_uk, .. } => {
                need(!media.is_nil(), "media", "cms-invalid-image");
                need(filled(alt_uk), "alt_uk", "cms-invalid-alt");
            }
            Block::Gallery { images } => {
                need(!images.is_empty() && images.len() <= MAX_ITEMS, "images", "cms-invalid-gallery");
                for (i, image) in images.iter().enumerate() {
                    need(filled(&image.alt_uk), &format!("alt_uk_{i}"), "cms-invalid-alt");
                }
            }
            Block::News { count, .. } | Block::Documents { count, .. } => {
                need((1..=20).contains(count), "count", "cms-invalid-count");
            }
            Block::Tiles { items } => {
                need(!items.is_empty() && items.len() <= MAX_ITEMS, "items", "cms-invalid-items");
                for (i, tile) in items.iter().enumerate() {
                    need(filled(&tile.title_uk), &format!("title_uk_{i}"), "cms-invalid-title");
                    need(link_is_allowed(&tile.href), &format!("href_{i}"), "cms-invalid-link");
                }
            }
            Block::Faq { items } => {
                need(!items.is_empty() && items.len() <= MAX_ITEMS, "items", "cms-invalid-items");
                for (i, q) in items.iter().enumerate() {
                    need(filled(&q.question_uk), &format!("question_uk_{i}"), "cms-invalid-question");
                    need(filled(&q.answer_uk), &format!("answer_uk_{i}"), "cms-invalid-answer");
                }
            }
            Block::Video { url, title_uk, .. } => {
                need(video_embed(url).is_some(), "url", "cms-invalid-video");
                // The frame's title is its accessible name.
                need(filled(title_uk), "title_uk", "cms-invalid-title");
            }
            Block::Widget { key, .. } => need(filled(key), "key", "cms-invalid-widget"),
        }
        out
    }

    /// Media files the block shows, so that they can be served to everyone once published.
    pub fn media(&self) -> Vec<Uuid> {
        match self {
            Block::Image { media, .. } => vec![*media],
            Block::Gallery { images } => images.iter().map(|i| i.media).collect(),
            _ => vec![],
        }
    }
}

/// A link a tile or menu may hold: a path on the site or an http(s) address.
pub fn link_is_allowed(href: &str) -> bool {
    let href = href.trim();
    if href.starts_with('/') {
        return !href.starts_with("//") && !href.contains('\\');
    }
    url::Url::parse(href).is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
}

/// The embeddable address of a video on an allowed host: YouTube (its no-cookie player) or
/// Vimeo. Anything else is refused, so a page never frames an arbitrary site.
pub fn video_embed(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if parsed.scheme() != "https" {
        return None;
    }
    let host = parsed.host_str()?.trim_start_matches("www.").trim_start_matches("m.");
    let id_ok = |id: &str| {
        !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let segments: Vec<&str> = parsed.path_segments().map(|s| s.filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    match host {
        "youtube.com" => {
            let id = match segments.as_slice() {
                ["watch"] => parsed.query_pairs().find(|(k, _)| k == "v").map(|(_, v)| v.into_owned())?,
                ["embed", id] | ["shorts", id] | ["live", id] => (*id).to_owned(),
                _ => return None,
            };
            id_ok(&id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "youtu.be" => match segments.as_slice() {
            [id] if id_ok(id) => Some(format!("https://www.youtube-nocookie.com/embed/{id}")),
            _ => None,
        },
        "vimeo.com" => match segments.as_slice() {
            [id] if id.chars().all(|c| c.is_ascii_digit()) && id_ok(id) => {
                Some(format!("https://player.vimeo.com/video/{id}"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Page addresses: `/pages/{slug}`, lower-case Latin letters, digits and dashes.
pub fn slug_is_valid(slug: &str) -> bool {
    (1..=80).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// A page address from a title (see [`hromada_kernel::text::slug`]).
pub fn slug_from(title: &str) -> String {
    let slug = hromada_kernel::text::slug(title, 80);
    if slug.is_empty() { "page".into() } else { slug }
}

pub use hromada_kernel::text::{fold, query_words};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn videos_only_from_allowed_hosts_and_as_their_players() {
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        assert_eq!(video_embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ").as_deref(), Some(yt));
        assert_eq!(video_embed("https://youtu.be/dQw4w9WgXcQ").as_deref(), Some(yt));
        assert_eq!(video_embed("https://m.youtube.com/shorts/dQw4w9WgXcQ").as_deref(), Some(yt));
        assert_eq!(
            video_embed("https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871")
        );
        // Every player is one the pages' Content-Security-Policy lets them frame.
        for embed in [yt, "https://player.vimeo.com/video/76979871"] {
            assert!(hromada_web::security::FRAME_SOURCES.iter().any(|s| embed.starts_with(s)), "{embed}");
        }
        for bad in [
            "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "https://youtube.com.evil.example/watch?v=x",
            "https://www.youtube.com/watch?v=a\"onload=\"x",
            "https://vimeo.com/abc",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(video_embed(bad), None, "{bad}");
        }
    }

    #[test]
    fn links_are_site_paths_or_web_addresses() {
        assert!(link_is_allowed("/petitions"));
        assert!(link_is_allowed("https://diia.gov.ua/services"));
        for bad in ["//evil.example", "javascript:alert(1)", "data:text/html,x", "/\\evil", "petitions", ""] {
            assert!(!link_is_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn slugs_come_from_ukrainian_titles_by_the_official_table() {
        assert_eq!(slug_from("Громадський бюджет 2027"), "hromadskyi-biudzhet-2027");
        assert_eq!(slug_from("Їжа та Євроінтеграція"), "yizha-ta-yevrointehratsiia");
        assert_eq!(slug_from("  — !!"), "page");
        assert!(slug_is_valid(&slug_from("Зʼїзд, «Щедрий» вечір")));
        assert!(!slug_is_valid("Upper") && !slug_is_valid("a--b") && !slug_is_valid("-a") && !slug_is_valid(""));
    }

    #[test]
    fn an_image_needs_its_text_alternative() {
        let image = Block::Image {
            media: Uuid::from_u128(7),
            alt_uk: " ".into(),
            alt_en: String::new(),
            caption_uk: String::new(),
            caption_en: String::new(),
        };
        assert_eq!(image.problems(), vec![("alt_uk".to_owned(), "cms-invalid-alt")]);
        let gallery = Block::Gallery {
            images: vec![
                GalleryImage { media: Uuid::from_u128(1), alt_uk: "Площа".into(), alt_en: String::new() },
                GalleryImage { media: Uuid::from_u128(2), alt_uk: String::new(), alt_en: String::new() },
            ],
        };
        assert_eq!(gallery.problems(), vec![("alt_uk_1".to_owned(), "cms-invalid-alt")]);
        assert_eq!(gallery.media(), vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
    }

    #[test]
    fn every_listed_kind_starts_empty_and_asks_to_be_filled() {
        for kind in BLOCK_KINDS {
            let block = Block::empty(kind).unwrap();
            assert_eq!(block.kind(), kind);
            let stored: Block = serde_json::from_str(&serde_json::to_string(&block).unwrap()).unwrap();
            assert_eq!(stored, block);
            // Lists of news and documents are ready as they are; the rest need content.
            assert_eq!(block.problems().is_empty(), matches!(kind, "news" | "documents"), "{kind}");
        }
        assert_eq!(Block::empty("script"), None);
    }

    #[test]
    fn a_page_is_searched_by_what_readers_read() {
        let page = PageContent {
            title_uk: "Безпека".into(),
            blocks: vec![
                Block::Text {
                    uk: "## Укриття\n\nШкола **№ 1** — [карта](https://example.org/map)".into(),
                    en: String::new(),
                },
                Block::Faq {
                    items: vec![Question {
                        question_uk: "Де зарядити телефон?".into(),
                        question_en: String::new(),
                        answer_uk: "У ЦНАП".into(),
                        answer_en: String::new(),
                    }],
                },
                Block::Widget { key: "petitions.latest".into(), choice: String::new() },
            ],
            ..Default::default()
        };
        let text = page.search_text();
        for word in ["безпека", "укриття", "школа", "карта", "зарядити", "цнап"] {
            assert!(text.split(' ').any(|w| w == word), "{word} in {text}");
        }
        assert!(!text.contains("example"), "link addresses are not text: {text}");
        assert_eq!(page.excerpt(), "Укриття Школа № 1 — карта");
    }

    proptest! {
        #[test]
        fn any_title_gives_a_valid_slug(title in "\\PC{0,120}") {
            prop_assert!(slug_is_valid(&slug_from(&title)), "{}", slug_from(&title));
        }
    }
}
