//! The site's frame, shared by every page of a community and edited in the site constructor:
//! the colour theme, the layout variant, the two-level menu and the footer text. It lives in
//! the community's settings, which come with the community, so drawing it costs no query.

use hromada_db::core::communities::Community;
use hromada_kernel::colour::{GRAPHIC_CONTRAST, TEXT_CONTRAST};
use hromada_kernel::{Colour, Lang};
use serde::{Deserialize, Serialize};

/// The settings key the frame is kept under.
pub const SETTINGS_KEY: &str = "site";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SiteFrame {
    #[serde(default)]
    pub theme: Option<Theme>,
    /// Replaces the modules' own navigation when the editors built a menu.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// A line under the community's name in the header ("Official site of the council").
    #[serde(default)]
    pub header_uk: String,
    #[serde(default)]
    pub header_en: String,
    #[serde(default)]
    pub footer_uk: String,
    #[serde(default)]
    pub footer_en: String,
}

impl SiteFrame {
    pub fn of(community: &Community) -> SiteFrame {
        SiteFrame::deserialize(community.statute_of(SETTINGS_KEY)).unwrap_or_default()
    }

    pub fn header(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.header_en.trim().is_empty() => &self.header_en,
            _ => &self.header_uk,
        }
    }

    pub fn footer(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.footer_en.trim().is_empty() => &self.footer_en,
            _ => &self.footer_uk,
        }
    }
}

/// Layout variants the shared stylesheet knows.
pub const LAYOUTS: [&str; 3] = ["classic", "centered", "wide"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Theme {
    /// Header, buttons and links.
    pub brand: String,
    /// The menu bar and hovered links.
    pub brand_dark: String,
    /// Marks the current menu item and the skip link.
    pub accent: String,
    #[serde(default = "classic")]
    pub layout: String,
    /// Bumped on every save, so that browsers fetch the new stylesheet.
    #[serde(default)]
    pub version: i64,
}

fn classic() -> String {
    "classic".into()
}

/// Text drawn by the shared stylesheet on the theme's colours.
const INK: Colour = Colour { r: 0x1b, g: 0x1b, b: 0x1b };
const SOFT: Colour = Colour { r: 0xf3, g: 0xf5, b: 0xf8 };

impl Theme {
    pub const DEFAULT: (&'static str, &'static str, &'static str) = ("#0a4f8a", "#073a66", "#ffd23f");

    /// Every way the palette would fail WCAG 2.1 AA with the shared stylesheet, as
    /// `(field, message key)`; empty when it may be saved.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = vec![];
        let (brand, dark, accent) =
            (Colour::parse(&self.brand), Colour::parse(&self.brand_dark), Colour::parse(&self.accent));
        for (field, colour) in [("brand", brand), ("brand_dark", dark), ("accent", accent)] {
            if colour.is_none() {
                out.push((field, "site-invalid-colour"));
            }
        }
        if !LAYOUTS.contains(&self.layout.as_str()) {
            out.push(("layout", "site-invalid-layout"));
        }
        let (Some(brand), Some(dark), Some(accent)) = (brand, dark, accent) else { return out };
        // White header text and button labels on the brand colour; brand links on white and on
        // the footer's soft grey.
        if brand.contrast(Colour::WHITE) < TEXT_CONTRAST || brand.contrast(SOFT) < TEXT_CONTRAST {
            out.push(("brand", "site-low-contrast-brand"));
        }
        if dark.contrast(Colour::WHITE) < TEXT_CONTRAST {
            out.push(("brand_dark", "site-low-contrast-dark"));
        }
        // The current-item marker on the menu bar, and dark text on the skip link.
        if accent.contrast(dark) < GRAPHIC_CONTRAST || accent.contrast(INK) < TEXT_CONTRAST {
            out.push(("accent", "site-low-contrast-accent"));
        }
        out
    }

    /// The stylesheet that overrides the shared one's colours and widths.
    pub fn css(&self) -> String {
        // Only parsed colours reach the stylesheet, whatever the settings hold.
        let colour =
            |s: &str, fallback: &str| Colour::parse(s).or_else(|| Colour::parse(fallback)).unwrap_or(Colour::WHITE);
        let (b, d, a) = Self::DEFAULT;
        let mut css = format!(
            ":root {{ --brand: {}; --brand-dark: {}; --accent: {}; }}\n",
            colour(&self.brand, b),
            colour(&self.brand_dark, d),
            colour(&self.accent, a)
        );
        match self.layout.as_str() {
            "wide" => css.push_str(".wrap, .main-nav ul { max-width: 84rem; }\n"),
            "centered" => css.push_str(
                ".header-row { flex-direction: column; text-align: center; } .main-nav ul { justify-content: center; }\n",
            ),
            _ => {}
        }
        css
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MenuItem {
    pub label_uk: String,
    #[serde(default)]
    pub label_en: String,
    /// A path inside the community (`/news`) or an absolute `https://` link.
    pub href: String,
    /// The second level; its items have no children of their own.
    #[serde(default)]
    pub children: Vec<MenuItem>,
}

impl MenuItem {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.label_en.trim().is_empty() => &self.label_en,
            _ => &self.label_uk,
        }
    }

    /// Whether the link leaves the community's site.
    pub fn is_external(&self) -> bool {
        self.href.starts_with("https://") || self.href.starts_with("http://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(brand: &str, dark: &str, accent: &str) -> Theme {
        Theme {
            brand: brand.into(),
            brand_dark: dark.into(),
            accent: accent.into(),
            layout: "classic".into(),
            version: 1,
        }
    }

    #[test]
    fn the_default_palette_passes() {
        let (b, d, a) = Theme::DEFAULT;
        assert_eq!(theme(b, d, a).problems(), vec![]);
    }

    #[test]
    fn a_pale_brand_colour_is_refused_with_the_field_named() {
        let problems = theme("#7fb2e5", "#073a66", "#ffd23f").problems();
        assert_eq!(problems, vec![("brand", "site-low-contrast-brand")]);
        let problems = theme("#0a4f8a", "#073a66", "#0a4f8a").problems();
        assert_eq!(problems, vec![("accent", "site-low-contrast-accent")]);
        let problems = theme("nope", "#073a66", "#ffd23f").problems();
        assert_eq!(problems, vec![("brand", "site-invalid-colour")]);
    }

    #[test]
    fn the_stylesheet_carries_only_parsed_colours() {
        let mut t = theme("#0A4F8A", "red;}body{display:none", "#ffd23f");
        t.layout = "wide".into();
        let css = t.css();
        assert!(css.contains("--brand: #0a4f8a;") && css.contains("--brand-dark: #073a66;"), "{css}");
        assert!(!css.contains("display:none") && css.contains("84rem"), "{css}");
    }
}
