//! Markdown written by officials and residents, rendered and then sanitised.

/// Renders markdown to HTML that is safe to embed: no scripts, no styles, no event handlers;
/// links get `rel="noopener noreferrer nofollow"`.
pub fn render(source: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(
        source,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn scripts_are_removed_and_formatting_kept() {
        let html = super::render("**Важливо** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>Важливо</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }
}
