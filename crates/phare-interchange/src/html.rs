//! HTML bodies (Productboard, Aha!) to Markdown with htmd. Sanitising stays the renderer's job;
//! this only changes notation, and never fails an import over markup.

/// htmd walks the document recursively: a hostile cell of thousands of nested tags would
/// overflow the stack, so markup nested deeper than this is reduced to its text instead.
const MAX_DEPTH: usize = 64;

/// Elements that never enclose others, so they add no depth.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

pub(crate) fn to_markdown(html: &str) -> String {
    // Plain text needs no parser, and most cells are plain text.
    if !html.contains('<') && !html.contains('&') {
        return html.to_owned();
    }
    if depth(html) > MAX_DEPTH {
        return text_only(html);
    }
    htmd::convert(html).map_or_else(|_| text_only(html), |md| md.trim().to_owned())
}

/// An upper bound of the element nesting: unclosed tags count as still open.
fn depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    for tag in html.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        let name: String = inside
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if inside.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if !name.is_empty()
            && !inside.ends_with('/')
            && !VOID.contains(&name.to_ascii_lowercase().as_str())
        {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn text_only(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn productboard_html_becomes_markdown() {
        let md = to_markdown(
            "<p>Customers want <b>CSV</b> export</p><ul><li>fast</li><li>simple</li></ul>",
        );
        assert!(md.starts_with("Customers want **CSV** export"), "{md}");
        assert!(
            md.contains("fast") && md.contains("simple") && !md.contains("<li>"),
            "{md}"
        );
        assert_eq!(to_markdown("no markup"), "no markup");
    }

    #[test]
    fn hostile_nesting_is_reduced_to_text_instead_of_overflowing_the_stack() {
        for tag in ["div", "b", "ul", "blockquote", "span", "table"] {
            let deep = format!("<{tag}>x").repeat(20_000);
            assert_eq!(to_markdown(&deep), "x".repeat(20_000));
            let allowed = format!("<{tag}>y").repeat(super::MAX_DEPTH)
                + &format!("</{tag}>").repeat(super::MAX_DEPTH);
            assert!(to_markdown(&allowed).contains('y'));
        }
        let lines = to_markdown(&"a<br>".repeat(20_000));
        assert_eq!(
            lines.lines().count(),
            20_000,
            "void elements do not nest: htmd still converts"
        );
    }
}
