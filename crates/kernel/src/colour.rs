//! Colours of a community's theme and the WCAG 2.1 contrast between them, so that an editor's
//! palette is checked before it reaches residents.

use std::fmt;

/// An sRGB colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Colour {
    pub const WHITE: Colour = Colour { r: 255, g: 255, b: 255 };

    /// `#rrggbb` or `#rgb`, case-insensitive; anything else is `None`.
    pub fn parse(s: &str) -> Option<Colour> {
        let hex = s.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Colour { r: digit(0)? * 17, g: digit(1)? * 17, b: digit(2)? * 17 }),
            6 => Some(Colour { r: pair(0)?, g: pair(2)?, b: pair(4)? }),
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2.1, 1.4.3).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// The contrast ratio with another colour, from 1 to 21.
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// Normal text needs 4.5:1 (1.4.3); borders and markers that tell state need 3:1 (1.4.11).
pub const TEXT_CONTRAST: f64 = 4.5;
pub const GRAPHIC_CONTRAST: f64 = 3.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_long_and_short_forms_and_refuses_the_rest() {
        assert_eq!(Colour::parse("#0A4F8A"), Some(Colour { r: 10, g: 79, b: 138 }));
        assert_eq!(Colour::parse("#fff"), Some(Colour::WHITE));
        for bad in ["0a4f8a", "#0a4f8", "#ggg", "red", "#0a4f8a00", "", "#"] {
            assert_eq!(Colour::parse(bad), None, "{bad}");
        }
        assert_eq!(Colour::parse("#0A4F8A").unwrap().to_string(), "#0a4f8a");
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        let black = Colour::parse("#000").unwrap();
        assert!((black.contrast(Colour::WHITE) - 21.0).abs() < 1e-9);
        assert!((Colour::WHITE.contrast(Colour::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known lightest grey that passes 4.5:1.
        let grey = Colour::parse("#767676").unwrap();
        assert!(grey.contrast(Colour::WHITE) >= TEXT_CONTRAST);
        assert!(Colour::parse("#777777").unwrap().contrast(Colour::WHITE) < TEXT_CONTRAST);
        // Symmetric.
        assert_eq!(grey.contrast(black), black.contrast(grey));
    }
}
