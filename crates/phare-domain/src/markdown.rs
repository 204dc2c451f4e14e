//! The one Markdown renderer and sanitizer of Phare: every output that shows user-written text
//! (pages, portal, e-mail, feeds, exports) goes through `render` or `to_plain_text`.
//!
//! Stored XSS comes back through the secondary outputs nobody looks at, so there is no second
//! renderer anywhere. This module must never let active content through: raw HTML in the
//! Markdown is shown as text, and the HTML produced is then cleaned by ammonia against an
//! explicit allow-list (no images, since the product never loads third-party content; no SVG,
//! MathML, styles, classes or event attributes; links only to http, https, mailto or relative
//! URLs). It never fails: any input renders to something safe.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Built once: the allow-list is the whole policy, so it is spelled out rather than inherited
/// from ammonia's defaults.
static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("input", HashSet::from(["checked"])),
        ]))
        .tag_attribute_values(HashMap::new())
        // Whatever the HTML said, an input is only ever a disabled task-list checkbox.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer nofollow"))
        .allowed_classes(HashMap::new())
        .strip_comments(true);
    builder
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Markdown to safe HTML. Headings are demoted one level (`#` gives `<h2>`): a page has one
/// `<h1>`, the title of what it shows, and the text written by users sits under it. Images become
/// links to the image, so nothing is loaded from elsewhere. Raw HTML is shown as text.
pub fn render(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level: demoted(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demoted(level))),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The text a reader sees, without markup: for snippets, CSV and XLSX cells, the plain part of
/// e-mails and text analysis. Link and image text is kept, URLs are not; raw HTML is kept as the
/// text `render` shows. Blocks are separated by a blank line, list items and table rows go on
/// their own line, and runs of spaces become one.
pub fn to_plain_text(markdown: &str) -> String {
    if reads_the_same_plain(markdown) {
        return collapse_white_space(markdown);
    }
    parsed_plain_text(markdown)
}

/// [`to_plain_text`] through the parser, whatever the text.
fn parsed_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::Start(Tag::TableCell) => text.push(' '),
            Event::HardBreak
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::Item | TagEnd::List(_) | TagEnd::TableRow | TagEnd::TableHead) => {
                text.push('\n')
            }
            Event::Rule => text.push_str("\n\n"),
            Event::TaskListMarker(done) => text.push_str(if done { "[x] " } else { "[ ] " }),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::Table,
            ) => text.push_str("\n\n"),
            _ => {}
        }
    }
    collapse_white_space(&text)
}

/// Whether `text` means the same as Markdown and as plain text, so that the parser can be
/// skipped: one line, none of the characters that start inline syntax, and nothing at its start
/// that opens a block (heading, quote, list, code block). Most feedback is such a sentence;
/// parsing it was a tenth of an inbox page. A property test holds it to the parser's answer.
fn reads_the_same_plain(text: &str) -> bool {
    const INLINE: &[char] = &[
        '\\', '`', '*', '_', '~', '[', ']', '<', '&', '\n', '\r', '\0',
    ];
    if text.contains(INLINE) || text.starts_with("    ") || text.starts_with('\t') {
        return false;
    }
    let start = text.trim_start();
    let after_digits = start.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = after_digits.len() < start.len()
        && (after_digits.starts_with('.') || after_digits.starts_with(')'));
    !numbered && !start.starts_with(['#', '>', '-', '+', '=', '|'])
}

/// One space between words, at most one blank line between blocks, nothing at either end. The
/// words go straight into the result (collecting each line's words and joining them took half
/// of the inbox page's excerpts).
fn collapse_white_space(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            blank_lines += 1;
            continue;
        };
        if !collapsed.is_empty() {
            collapsed.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        collapsed.push_str(first);
        for word in words {
            collapsed.push(' ');
            collapsed.push_str(word);
        }
        blank_lines = 0;
    }
    collapsed
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The inside of every tag of `html` (a `>` inside a quoted value does not close it). Text
    /// between tags is escaped, so only tags can carry anything active.
    fn tags(html: &str) -> Vec<String> {
        let mut tags = Vec::new();
        let mut current: Option<String> = None;
        let mut quoted = false;
        for c in html.chars() {
            match (&mut current, c) {
                (None, '<') => current = Some(String::new()),
                (None, _) => {}
                (Some(tag), '"') => {
                    quoted = !quoted;
                    tag.push(c);
                }
                (Some(_), '>') if !quoted => tags.extend(current.take()),
                (Some(tag), _) => tag.push(c),
            }
        }
        tags.extend(current);
        tags
    }

    /// The name and the attributes of a tag: split on white space outside quoted values.
    fn words_outside_quotes(tag: &str) -> Vec<String> {
        let mut words = vec![String::new()];
        let mut quoted = false;
        for c in tag.chars() {
            match c {
                '"' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => words.push(String::new()),
                _ => {}
            }
            words.last_mut().into_iter().for_each(|word| word.push(c));
        }
        words
            .into_iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Fails with the payload and its rendering when anything active got through.
    fn assert_inert(markdown: &str) {
        let html = render(markdown);
        for tag in tags(&html.to_lowercase()) {
            let name = tag
                .trim_start_matches('/')
                .split([' ', '/'])
                .next()
                .unwrap_or_default();
            assert!(
                ALLOWED_TAGS.contains(&name),
                "<{tag}> in {html:?} from {markdown:?}"
            );
            for attribute in words_outside_quotes(&tag).into_iter().skip(1) {
                let (key, value) = attribute.split_once('=').unwrap_or((&attribute, ""));
                assert!(
                    ["href", "title", "rel", "checked", "type", "disabled"].contains(&key),
                    "{key} in {html:?} from {markdown:?}"
                );
                let value = value.trim_matches('"');
                if key == "href" {
                    // What a browser takes for a scheme: tabs and newlines removed, then letters,
                    // digits, "+", "-" or "." before the first ":", starting with a letter.
                    let url: String = value
                        .chars()
                        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                        .collect();
                    let scheme = url
                        .trim()
                        .split_once(':')
                        .map(|(scheme, _)| scheme)
                        .filter(|s| {
                            s.starts_with(|c: char| c.is_ascii_alphabetic())
                                && s.chars()
                                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                        });
                    assert!(
                        scheme.is_none_or(|s| ["http", "https", "mailto"].contains(&s)),
                        "href {value:?} in {html:?} from {markdown:?}"
                    );
                }
            }
        }
    }

    const PAYLOADS: &[&str] = &[
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click]( javascript:alert(1) )",
        "[click](jav&#x61;script:alert(1))",
        "[click](jav&#97;script&#58;alert(1))",
        "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "[click](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[click][xss]\n\n[xss]: javascript:alert(1)",
        "[click][xss]\n\n[xss]: data:text/html,hi \"title\"",
        "![img](javascript:alert(1))",
        "![x](https://evil.example/track.png)",
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<!-- <script>alert(1)</script> -->",
        "<!--><script>alert(1)</script>-->",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<p class=x onclick=alert(1)>x</p>",
        "<form action=javascript:alert(1)><button>x</button></form>",
        "<input type=text autofocus onfocus=alert(1)>",
        "- [x] <input onfocus=alert(1) autofocus>",
        "<object data=javascript:alert(1)>",
        "<embed src=javascript:alert(1)>",
        "<base href=javascript:alert(1)//>",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<details open ontoggle=alert(1)>",
        "[x](https://ok.example \"a\" onmouseover=\"alert(1)\")",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
        "**<img src=x onerror=alert(1)>**",
        "[<img src=x onerror=alert(1)>](https://ok.example)",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</script>",
        "\u{0}<script>alert(1)</script>",
    ];

    #[test]
    fn no_payload_renders_anything_active() {
        for payload in PAYLOADS {
            assert_inert(payload);
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert_eq!(
            render("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        assert_eq!(
            render("Hello <b>world</b>"),
            "<p>Hello &lt;b&gt;world&lt;/b&gt;</p>\n"
        );
    }

    #[test]
    fn dangerous_links_keep_their_text_but_lose_their_target() {
        assert_eq!(
            render("[click](javascript:alert(1))"),
            "<p><a rel=\"noopener noreferrer nofollow\">click</a></p>\n"
        );
        assert!(!render("[click](jav&#x61;script:alert(1))").contains("href"));
    }

    #[test]
    fn ordinary_markdown_renders() {
        assert_eq!(
            render("# Title\n\nSome *emphasis*, **strong**, ~~gone~~ and `code`."),
            "<h2>Title</h2>\n<p>Some <em>emphasis</em>, <strong>strong</strong>, \
             <del>gone</del> and <code>code</code>.</p>\n"
        );
        assert_eq!(
            render("- one\n- two\n\n1. first"),
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n"
        );
        assert_eq!(
            render("> quoted\n\n---\n\n```rust\nlet x = 1;\n```"),
            "<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n<pre><code>let x = 1;\n</code></pre>\n"
        );
        assert_eq!(render("###### six"), "<h6>six</h6>\n");
    }

    #[test]
    fn links_are_kept_with_a_safe_rel() {
        assert_eq!(
            render("[docs](https://example.org/a?b=1 \"Docs\") [rel](/ideas/CHK-42) <mail@example.org>"),
            "<p><a href=\"https://example.org/a?b=1\" title=\"Docs\" rel=\"noopener noreferrer nofollow\">docs</a> \
             <a href=\"/ideas/CHK-42\" rel=\"noopener noreferrer nofollow\">rel</a> \
             <a href=\"mailto:mail@example.org\" rel=\"noopener noreferrer nofollow\">mail@example.org</a></p>\n"
        );
    }

    #[test]
    fn images_become_links_and_are_never_loaded() {
        assert_eq!(
            render("![the logo](https://example.org/logo.png)"),
            "<p><a href=\"https://example.org/logo.png\" rel=\"noopener noreferrer nofollow\">the logo</a></p>\n"
        );
    }

    #[test]
    fn tables_and_task_lists_render_without_styles() {
        assert_eq!(
            render("| a | b |\n|:--|--:|\n| 1 | 2 |"),
            "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n\
             <tr><td>1</td><td>2</td></tr>\n</tbody></table>\n"
        );
        // Attribute order is not stable, so each checkbox is compared as a set of attributes.
        let html = render("- [x] done\n- [ ] todo");
        let mut checkboxes: Vec<Vec<String>> = tags(&html)
            .iter()
            .filter(|tag| tag.starts_with("input"))
            .map(|tag| {
                let mut attributes = words_outside_quotes(tag);
                attributes.sort();
                attributes
            })
            .collect();
        checkboxes.sort();
        assert_eq!(
            checkboxes,
            [
                vec![
                    "checked=\"\"",
                    "disabled=\"\"",
                    "input",
                    "type=\"checkbox\""
                ],
                vec!["disabled=\"\"", "input", "type=\"checkbox\""],
            ]
        );
        assert!(html.contains("done</li>") && html.contains("todo</li>"));
    }

    #[test]
    fn plain_text_keeps_what_a_reader_sees() {
        assert_eq!(
            to_plain_text(
                "# Export\n\nSend the **roadmap** as [PDF](https://example.org)   to  the\nboard.\n\n\
                 - one\n- [x] two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`x < y` and <b>raw</b>"
            ),
            "Export\n\nSend the roadmap as PDF to the board.\n\none\n[x] two\n\na b\n1 2\n\n\
             x < y and <b>raw</b>"
        );
        assert_eq!(to_plain_text(""), "");
        assert_eq!(to_plain_text("![logo](x.png) text"), "logo text");
    }

    #[test]
    fn plain_sentences_skip_the_parser_and_markup_does_not() {
        for plain in [
            "Export to PDF takes 3 minutes!",
            "  L'agent doit ressaisir 2 fois — pourquoi ? 100 % des cas | parfois",
            "3 users said so",
            "e-mail = courriel, a > b",
        ] {
            assert!(reads_the_same_plain(plain), "{plain}");
            assert_eq!(to_plain_text(plain), parsed_plain_text(plain), "{plain}");
        }
        for marked in [
            "# Title",
            "> quote",
            "- item",
            "1. first",
            "2) second",
            "    code",
            "\tcode",
            "a *b*",
            "a_b_",
            "`x`",
            "[a](b)",
            "&amp;",
            "<b>",
            "two\nlines",
            "---",
            "===",
        ] {
            assert!(!reads_the_same_plain(marked), "{marked}");
        }
    }

    proptest! {
        #[test]
        fn the_plain_shortcut_says_what_the_parser_says(
            text in "[ a-z0-9.,;:!?'\"()|=+#>\\-]{0,40}"
        ) {
            prop_assert_eq!(to_plain_text(&text), parsed_plain_text(&text));
        }

        #[test]
        fn the_plain_shortcut_holds_for_any_text(text in "\\PC{0,80}") {
            prop_assert_eq!(to_plain_text(&text), parsed_plain_text(&text));
        }

        #[test]
        fn render_never_lets_a_script_through(markdown in "\\PC{0,200}") {
            let html = render(&markdown).to_lowercase();
            prop_assert!(!html.contains("<script"));
            prop_assert!(!html.contains("onerror="));
        }

        #[test]
        fn render_of_html_soup_stays_inert(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<script>"), Just("<img src=x onerror=alert(1)>"), Just("<svg onload=x>"),
                    Just("[a]("), Just(")"), Just("javascript:"), Just("<a href=\""), Just("\">"),
                    Just("&#x61;"), Just("\n"), Just("`"), Just("<!--"), Just("-->"), Just("x"),
                    Just("![i]("), Just("data:"), Just("]: "), Just("["), Just("]"), Just("<"),
                ],
                0..24,
            )
        ) {
            assert_inert(&parts.concat());
        }

        #[test]
        fn collapsing_keeps_the_words_and_the_blank_lines(
            text in "[ a\u{e9}\t\r\n\u{a0}\u{2003}\u{2028}\u{3000}\u{b}b]{0,60}"
        ) {
            // What the one-pass version replaced: each line's words collected, then joined.
            let mut expected = String::new();
            let mut blank_lines = 0;
            for line in text.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                if words.is_empty() {
                    blank_lines += 1;
                    continue;
                }
                if !expected.is_empty() {
                    expected.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
                }
                expected.push_str(&words.join(" "));
                blank_lines = 0;
            }
            prop_assert_eq!(collapse_white_space(&text), expected);
        }

        #[test]
        fn plain_text_never_panics(markdown in "\\PC{0,200}") {
            let _ = to_plain_text(&markdown);
        }
    }
}
