//! `--format html`: the change impact as one self-contained page for the
//! design review record (no script, no remote resource).

use crate::format::{headline, sections, side_line};
use crate::types::ModelDiff;
use ward_render::escape::{html as esc, html_code_spans as code};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}\
code{background:#f2f2f2;padding:0 .2em;border-radius:3px}\
.mark{display:inline-block;width:1.4em;font-weight:bold;font-family:monospace}\
li{margin:.3rem 0}ul ul{color:#444}.verdict{font-weight:bold}";

/// The change impact report.
pub fn html(d: &ModelDiff) -> String {
    let mut body = String::new();
    body.push_str("<h1>Threat model change impact</h1>\n<dl>\n");
    body.push_str(&format!(
        "<dt>Old</dt><dd>{}</dd>\n",
        code(&side_line(&d.old))
    ));
    body.push_str(&format!(
        "<dt>New</dt><dd>{}</dd>\n</dl>\n",
        code(&side_line(&d.new))
    ));
    body.push_str(&format!("<p class=\"verdict\">{}</p>\n", esc(&headline(d))));
    for s in sections(d) {
        body.push_str(&format!(
            "<section>\n<h2>{} ({})</h2>\n<ul>\n",
            esc(s.title),
            s.items.len()
        ));
        for item in s.items {
            body.push_str(&format!(
                "<li><span class=\"mark\">{}</span>{}",
                esc(&item.mark.to_string()),
                code(&item.text)
            ));
            if !item.details.is_empty() {
                body.push_str("\n<ul>\n");
                for detail in item.details {
                    body.push_str(&format!("<li>{}</li>\n", code(&detail)));
                }
                body.push_str("</ul>\n");
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ul>\n</section>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<title>Threat model change impact</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}
