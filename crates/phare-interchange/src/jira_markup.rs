//! Jira wiki markup to Markdown (as Linear's importer does with jira2md): headings, bold,
//! italic, strike, monospace, links, lists, quotes, code and noformat blocks. Output is plain
//! Markdown text; sanitising is the renderer's job. Unknown markup is kept as written.

pub(crate) fn to_markdown(wiki: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut quote = false;
    for line in wiki.lines() {
        if let Some(close) = fence {
            match line.find(close) {
                Some(at) => {
                    push_non_empty(&mut out, &line[..at]);
                    out.push("```".to_owned());
                    fence = None;
                }
                None => out.push(line.to_owned()),
            }
            continue;
        }
        if let Some((open, language, rest)) = code_open(line.trim_start()) {
            out.push(format!("```{language}"));
            match rest.find(open) {
                Some(at) => {
                    push_non_empty(&mut out, &rest[..at]);
                    out.push("```".to_owned());
                }
                None => {
                    push_non_empty(&mut out, rest);
                    fence = Some(open);
                }
            }
            continue;
        }
        let parts: Vec<&str> = line.split("{quote}").collect();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                quote = !quote;
            }
            // The tags themselves leave no line behind.
            if parts.len() > 1 && part.trim().is_empty() {
                continue;
            }
            let converted = block(part);
            out.push(if quote {
                format!("> {converted}")
            } else {
                converted
            });
        }
    }
    if fence.is_some() {
        out.push("```".to_owned());
    }
    out.join("\n")
}

fn push_non_empty(out: &mut Vec<String>, text: &str) {
    if !text.is_empty() {
        out.push(text.to_owned());
    }
}

/// `{code}`, `{code:java}`, `{code:title=A.java|borderStyle=solid}`, `{noformat}`: the closing
/// tag, the fence language and the text after the opening tag.
fn code_open(line: &str) -> Option<(&'static str, &str, &str)> {
    if let Some(rest) = line.strip_prefix("{noformat") {
        let end = rest.find('}')?;
        return Some(("{noformat}", "", &rest[end + 1..]));
    }
    let rest = line.strip_prefix("{code")?;
    let end = rest.find('}')?;
    let params = rest[..end].strip_prefix(':').unwrap_or("");
    let language = params
        .split('|')
        .next()
        .filter(|p| !p.contains('='))
        .unwrap_or("");
    let language = if language
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '#')
    {
        language
    } else {
        ""
    };
    Some(("{code}", language, &rest[end + 1..]))
}

/// One line outside code: heading, quote line, rule, list item or paragraph text.
fn block(line: &str) -> String {
    let trimmed = line.trim_start();
    for level in 1..=6 {
        if let Some(rest) = trimmed.strip_prefix(&format!("h{level}. ")) {
            return format!("{} {}", "#".repeat(level), inline(rest.trim()));
        }
    }
    if let Some(rest) = trimmed.strip_prefix("bq. ") {
        return format!("> {}", inline(rest));
    }
    if trimmed.trim_end() == "----" {
        return "---".to_owned();
    }
    let markers: String = trimmed
        .chars()
        .take_while(|c| matches!(c, '*' | '#' | '-'))
        .collect();
    let is_list = !markers.is_empty()
        && trimmed[markers.len()..].starts_with(' ')
        && (markers.len() == 1 || !markers.contains('-'));
    if is_list {
        // Nested Markdown items are indented by the width of their parents' markers.
        let indent: usize = markers
            .chars()
            .rev()
            .skip(1)
            .map(|c| if c == '#' { 3 } else { 2 })
            .sum();
        let marker = if markers.ends_with('#') { "1." } else { "-" };
        let text = inline(trimmed[markers.len()..].trim());
        return format!("{}{marker} {text}", " ".repeat(indent));
    }
    inline(line)
}

/// Inline markup within one line. Each kind of closing marker is searched through [`Next`], so
/// a hostile line (`[[[[…`, `*a *a *a…`) costs linear time, not quadratic.
fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let (mut mono, mut color, mut bracket) = (Next::default(), Next::default(), Next::default());
    let mut emphasised = [Next::default(), Next::default(), Next::default()];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if starts(&chars, i, "{{") {
            if let Some(end) = mono.find(i + 2, chars.len(), |k| starts(&chars, k, "}}")) {
                out.push('`');
                out.extend(&chars[i + 2..end]);
                out.push('`');
                i = end + 2;
                continue;
            }
        }
        if starts(&chars, i, "{color") {
            if let Some(end) = color.find(i, chars.len(), |k| chars[k] == '}') {
                i = end + 1;
                continue;
            }
        }
        if c == '[' {
            if let Some(end) = bracket.find(i + 1, chars.len(), |k| chars[k] == ']') {
                out.push_str(&link(&chars[i + 1..end].iter().collect::<String>()));
                i = end + 1;
                continue;
            }
        }
        if let Some((kind, markdown)) = emphasis(c) {
            if opens(&chars, i) {
                let closer = |k: usize| closes(&chars, k, c);
                if let Some(end) = emphasised[kind].find(i + 2, chars.len(), closer) {
                    let inner: String = chars[i + 1..end].iter().collect();
                    out.push_str(markdown);
                    out.push_str(&inline(&inner));
                    out.push_str(markdown);
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The next position at or after `from` where a closing marker stands. Searches come with a
/// growing `from`, so the last answer stays valid until passed and every position is read once.
#[derive(Default)]
struct Next {
    last: Option<(usize, Option<usize>)>,
}

impl Next {
    fn find(&mut self, from: usize, len: usize, is_end: impl Fn(usize) -> bool) -> Option<usize> {
        match self.last {
            Some((searched, None)) if searched <= from => return None,
            Some((searched, Some(end))) if searched <= from && end >= from => return Some(end),
            _ => {}
        }
        let found = (from..len).find(|&k| is_end(k));
        self.last = Some((from, found));
        found
    }
}

fn starts(chars: &[char], at: usize, text: &str) -> bool {
    (at..)
        .zip(text.chars())
        .all(|(k, expected)| chars.get(k) == Some(&expected))
}

fn emphasis(c: char) -> Option<(usize, &'static str)> {
    match c {
        '*' => Some((0, "**")),
        '_' => Some((1, "*")),
        '-' => Some((2, "~~")),
        _ => None,
    }
}

/// Emphasis opens at a word boundary and touches its text, so `snake_case_name` and `a - b` stay.
fn opens(chars: &[char], at: usize) -> bool {
    let before_ok = at == 0 || !chars[at - 1].is_alphanumeric();
    let first = chars.get(at + 1);
    before_ok && first.is_some_and(|&f| !f.is_whitespace() && f != chars[at])
}

fn closes(chars: &[char], at: usize, marker: char) -> bool {
    chars[at] == marker
        && !chars[at - 1].is_whitespace()
        && chars.get(at + 1).is_none_or(|next| !next.is_alphanumeric())
}

/// `[text|url]`, `[url]`, `[~user]`; anything else in brackets stays as written.
fn link(inside: &str) -> String {
    if let Some((text, url)) = inside.split_once('|') {
        return format!("[{}]({})", text.trim(), url.trim());
    }
    if let Some(user) = inside.strip_prefix('~') {
        return format!("@{}", user.trim_start_matches("accountid:"));
    }
    if inside.starts_with("http://")
        || inside.starts_with("https://")
        || inside.starts_with("mailto:")
    {
        return format!("<{inside}>");
    }
    format!("[{inside}]")
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn headings_emphasis_and_links_become_markdown() {
        let wiki = "h1. Title\nh3. Sub\nSome *bold* and _italic_ and -gone- and {{mono}} text.\n\
                    See [the docs|https://example.com/docs] or [https://example.com].";
        let md = "# Title\n### Sub\nSome **bold** and *italic* and ~~gone~~ and `mono` text.\n\
                  See [the docs](https://example.com/docs) or <https://example.com>.";
        assert_eq!(to_markdown(wiki), md);
    }

    #[test]
    fn lists_nest_and_numbered_lists_stay_numbered() {
        let wiki = "* one\n** one.a\n# first\n## first.a\n#* mixed";
        let md = "- one\n  - one.a\n1. first\n   1. first.a\n   - mixed";
        assert_eq!(to_markdown(wiki), md);
    }

    #[test]
    fn code_and_noformat_blocks_are_fenced_and_left_untouched() {
        let wiki = "{code:java}\nint *a* = b_c_d;\n{code}\n{noformat}\n*raw*\n{noformat}";
        let md = "```java\nint *a* = b_c_d;\n```\n```\n*raw*\n```";
        assert_eq!(to_markdown(wiki), md);
        assert_eq!(to_markdown("{code}x = 1{code}"), "```\nx = 1\n```");
        assert_eq!(
            to_markdown("{code}\nnever closed"),
            "```\nnever closed\n```"
        );
    }

    #[test]
    fn quotes_become_blockquotes() {
        assert_eq!(
            to_markdown("{quote}\nhello *you*\n{quote}\nafter"),
            "> hello **you**\nafter"
        );
        assert_eq!(to_markdown("bq. short"), "> short");
    }

    #[test]
    fn plain_text_with_lookalikes_is_kept() {
        for text in [
            "snake_case_name",
            "a - b - c",
            "2 * 3 * 4",
            "well-known-thing",
            "[not a link",
        ] {
            assert_eq!(to_markdown(text), text);
        }
    }

    #[test]
    fn hostile_lines_cost_linear_time() {
        // Quadratic scanning would take minutes on these 100 KB lines; linear takes milliseconds.
        for unit in ["*a ", "[", "{{", "_x _", "-a -", "{color"] {
            let line = unit.repeat(100_000 / unit.len());
            let started = std::time::Instant::now();
            let _ = to_markdown(&line);
            assert!(started.elapsed().as_secs() < 5, "{unit}");
        }
    }
}
