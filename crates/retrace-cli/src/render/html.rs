//! A self-contained HTML report: the suspect and each source side by side,
//! aligned passages in matching colours (hover or click a sentence to light
//! up and scroll to its counterpart), and the findings with jump links to
//! both sides. Inline CSS and JS only: no external request, no build step.

use std::fmt::Write as _;
use std::io::{self, Write};

use retrace::{CharSpan, Document, Report};

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// A mark on one side: a character span with a link id (for pairing) and a
/// colour index.
struct Mark {
    span: CharSpan,
    id: String,
    colour: usize,
}

/// Renders `text` with `<mark>` elements for the marks (sorted, non-nested:
/// overlapping marks are clipped to the earlier one).
fn render_text(
    text: &[char],
    side: &str,
    section: usize,
    marks: &mut [Mark],
    anchors: &[(usize, String)],
) -> String {
    marks.sort_by_key(|m| (m.span.0, m.span.1));
    let mut out = String::new();
    let mut pos = 0usize;
    let mut anchor_iter = anchors.iter().peekable();
    let emit_plain =
        |out: &mut String,
         from: usize,
         to: usize,
         anchor_iter: &mut std::iter::Peekable<std::slice::Iter<(usize, String)>>| {
            let mut p = from;
            while let Some((at, id)) = anchor_iter.peek() {
                if *at >= to {
                    break;
                }
                let at = (*at).max(p);
                out.push_str(&esc(&text[p..at].iter().collect::<String>()));
                let _ = write!(out, "<a class=\"anchor\" id=\"{}\"></a>", esc(id));
                p = at;
                anchor_iter.next();
            }
            out.push_str(&esc(&text[p..to].iter().collect::<String>()));
        };
    for m in marks.iter() {
        let start = m.span.0.max(pos).min(text.len());
        let end = m.span.1.min(text.len());
        if end <= start {
            continue;
        }
        emit_plain(&mut out, pos, start, &mut anchor_iter);
        let _ = write!(
            out,
            "<mark class=\"c{}\" data-link=\"{}\" data-side=\"{side}\" data-sec=\"{section}\" id=\"{side}{section}-{}\" tabindex=\"0\">",
            m.colour % 8,
            esc(&m.id),
            esc(&m.id)
        );
        emit_plain(&mut out, start, end, &mut anchor_iter);
        out.push_str("</mark>");
        pos = end;
    }
    emit_plain(&mut out, pos, text.len(), &mut anchor_iter);
    out
}

const STYLE: &str = r#"
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{padding:16px 24px;background:#1d3557;color:#fff}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.85}
main{padding:16px 24px;max-width:1600px;margin:auto}
table.sources{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}
table.sources th,table.sources td{padding:6px 10px;border-bottom:1px solid #ddd;text-align:left}
table.sources td.num{text-align:right;font-variant-numeric:tabular-nums}
section.source{background:#fff;border:1px solid #ddd;border-radius:8px;margin:16px 0;padding:12px 16px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;max-height:70vh;overflow:auto;border:1px solid #eee;border-radius:6px;padding:10px;background:#fcfcfc}
@media (max-width:800px){.cols{grid-template-columns:1fr}.text{max-height:none}}
mark{border-radius:3px;padding:0 1px;cursor:pointer;color:inherit}
mark.c0{background:#ffe08a}mark.c1{background:#b8e0ff}mark.c2{background:#c9f2c7}mark.c3{background:#ffc9de}
mark.c4{background:#e2d4ff}mark.c5{background:#ffd6b0}mark.c6{background:#c4f1ef}mark.c7{background:#e6e6b0}
mark.on{outline:3px solid #d62828;background:#ffd000}
mark:focus{outline:3px solid #1d3557}
ul.findings{padding-left:18px}ul.findings li{margin:4px 0}
.kind{font-family:ui-monospace,monospace;font-size:13px;background:#eef;padding:1px 5px;border-radius:3px}
.muted{color:#666}h2{font-size:17px;margin:4px 0 8px}h3{font-size:14px;margin:8px 0 4px;color:#444}
"#;

const SCRIPT: &str = r#"
function pair(el,on){var id=el.dataset.link;document.querySelectorAll('mark[data-link="'+id+'"]').forEach(function(m){m.classList.toggle('on',on);});}
document.querySelectorAll('mark[data-link]').forEach(function(m){
 m.addEventListener('mouseenter',function(){pair(m,true);});
 m.addEventListener('mouseleave',function(){pair(m,false);});
 var go=function(){var other=m.dataset.side==='q'?'s':'q';var t=document.getElementById(other+m.dataset.sec+'-'+m.dataset.link);
  if(t){t.scrollIntoView({block:'center',behavior:'smooth'});pair(m,true);setTimeout(function(){pair(m,false);},1500);}};
 m.addEventListener('click',go);
 m.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});
});
"#;

/// Writes the report as one self-contained HTML page.
pub fn write_report(
    out: &mut impl Write,
    report: &Report,
    suspect: &Document,
    sources: &[Document],
) -> io::Result<()> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>retrace report: {}</title><style>{STYLE}</style></head><body>\
         <header><h1>retrace report</h1><p>suspect: {} ({} characters)</p></header><main>",
        esc(&report.query.id),
        esc(&report.query.id),
        report.query.chars
    );
    h.push_str("<table class=\"sources\"><thead><tr><th>#</th><th>source</th><th>score</th><th>suspect covered</th><th>source covered</th><th>passages</th><th>findings</th></tr></thead><tbody>");
    for (k, s) in report.sources.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td><a href=\"#src{k}\">{}</a></td><td class=\"num\">{:.2}</td><td class=\"num\">{:.1}%</td><td class=\"num\">{:.1}%</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            k + 1,
            esc(&s.id),
            s.score,
            s.query_coverage * 100.0,
            s.source_coverage * 100.0,
            s.passages.len(),
            s.findings.len()
        );
    }
    h.push_str("</tbody></table>");
    let qchars: Vec<char> = suspect.text.chars().collect();
    for (k, s) in report.sources.iter().enumerate() {
        if s.passages.is_empty() {
            continue;
        }
        let Some(doc) = sources.iter().find(|d| d.id == s.id) else {
            continue;
        };
        let schars: Vec<char> = doc.text.chars().collect();
        let mut qm = Vec::new();
        let mut sm = Vec::new();
        let mut n = 0;
        for (pi, p) in s.passages.iter().enumerate() {
            for (li, l) in p.links.iter().enumerate() {
                let id = format!("{k}-{pi}-{li}");
                qm.push(Mark {
                    span: l.query,
                    id: id.clone(),
                    colour: n,
                });
                sm.push(Mark {
                    span: l.source,
                    id,
                    colour: n,
                });
                n += 1;
            }
        }
        // anchors for findings, so their links can jump to both sides
        let mut q_anchors: Vec<(usize, String)> = Vec::new();
        let mut s_anchors: Vec<(usize, String)> = Vec::new();
        for (fi, f) in s.findings.iter().enumerate() {
            if let Some(q) = f.query {
                q_anchors.push((q.0, format!("f{k}-{fi}-q")));
            }
            if let Some(sp) = f.source {
                s_anchors.push((sp.0, format!("f{k}-{fi}-s")));
            }
        }
        q_anchors.sort();
        s_anchors.sort();
        let qm_html = render_text(&qchars, "q", k, &mut qm, &q_anchors);
        let sm_html = render_text(&schars, "s", k, &mut sm, &s_anchors);
        let _ = write!(
            h,
            "<section class=\"source\" id=\"src{k}\"><h2>{}. {}</h2><p class=\"muted\">score {:.2} &middot; {:.0}% of the suspect &middot; {:.0}% of the source &middot; {} passage(s): {}</p>",
            k + 1,
            esc(&s.id),
            s.score,
            s.query_coverage * 100.0,
            s.source_coverage * 100.0,
            s.passages.len(),
            s.passages.iter().map(|p| format!("{} {:.2}", p.kind.as_str(), p.similarity)).collect::<Vec<_>>().join(", ")
        );
        if !s.findings.is_empty() {
            h.push_str("<h3>What the rewrite changed</h3><ul class=\"findings\">");
            for (fi, f) in s.findings.iter().enumerate() {
                let _ = write!(
                    h,
                    "<li><span class=\"kind\">{}</span> {}",
                    esc(&f.kind),
                    esc(&f.detail)
                );
                if f.query.is_some() {
                    let _ = write!(h, " &middot; <a href=\"#f{k}-{fi}-q\">suspect</a>");
                }
                if f.source.is_some() {
                    let _ = write!(h, " &middot; <a href=\"#f{k}-{fi}-s\">source</a>");
                }
                h.push_str("</li>");
            }
            h.push_str("</ul>");
        }
        let _ = write!(
            h,
            "<div class=\"cols\"><div><h3>Suspect</h3><div class=\"text\">{qm_html}</div></div><div><h3>Source</h3><div class=\"text\">{sm_html}</div></div></div></section>"
        );
    }
    if report.sources.iter().all(|s| s.passages.is_empty()) {
        h.push_str("<p>No reused passage was found.</p>");
    }
    let _ = write!(h, "</main><script>{SCRIPT}</script></body></html>");
    out.write_all(h.as_bytes())
}
