//! What a page shows of a stored file: its links, size and text alternative.

use crate::{MediaFile, Variant};
use hromada_web::{Page, Value, context};

/// A file for a template: `href` (the original), `display` and `thumb` (images), `name`,
/// `alt`, `size` (human), `kind`, `width` and `height`.
pub fn describe(page: &Page, f: &MediaFile) -> Value {
    context! {
        id => f.id.to_string(),
        name => &f.file_name,
        alt => f.alt_text.as_deref().unwrap_or(""),
        size => human_size(f.byte_size),
        kind => &f.kind,
        purpose => &f.purpose,
        href => page.url(&f.path(Variant::Original)),
        display => page.url(&f.path(Variant::Display)),
        thumb => page.url(&f.path(Variant::Thumb)),
        width => f.width,
        height => f.height,
    }
}

/// Files with one purpose, described for a template.
pub fn describe_all(page: &Page, files: &[MediaFile], purpose: &str) -> Vec<Value> {
    files.iter().filter(|f| f.purpose == purpose).map(|f| describe(page, f)).collect()
}

pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(super::human_size(512), "512 B");
        assert_eq!(super::human_size(300 * 1024), "300 KB");
        assert_eq!(super::human_size(3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
    }
}
