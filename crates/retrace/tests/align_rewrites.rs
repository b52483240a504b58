//! Alignment on hand-written rewrites: a news article and an LLM-style
//! rewrite with split and merged sentences, reordered paragraphs, a dropped
//! footer and an added paragraph.

use retrace::{Comparer, Document, Report};

fn read(rel: &str) -> String {
    let p = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn char_pos(text: &str, needle: &str) -> usize {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    text[..b].chars().count()
}

/// Asserts that some link covers `q_needle` in the suspect and maps it to a
/// source span covering `s_needle`.
fn assert_linked(r: &Report, q: &str, s: &str, q_needle: &str, s_needle: &str) {
    let qp = char_pos(q, q_needle);
    let sp = char_pos(s, s_needle);
    let src = &r.sources[0];
    let ok = src
        .passages
        .iter()
        .flat_map(|p| &p.links)
        .any(|l| l.query.0 <= qp && qp < l.query.1 && l.source.0 <= sp && sp < l.source.1);
    assert!(
        ok,
        "expected {q_needle:?} linked to {s_needle:?}; links: {:#?}",
        src.passages
    );
}

fn assert_unlinked(r: &Report, q: &str, q_needle: &str) {
    let qp = char_pos(q, q_needle);
    let linked = r.sources[0]
        .passages
        .iter()
        .flat_map(|p| &p.links)
        .any(|l| l.query.0 <= qp && qp < l.query.1);
    assert!(!linked, "{q_needle:?} should not be linked");
}

fn link_coverage(r: &Report) -> f32 {
    let linked: usize = r.sources[0]
        .passages
        .iter()
        .flat_map(|p| &p.links)
        .map(|l| l.query.1 - l.query.0)
        .sum();
    linked as f32 / r.query.chars as f32
}

#[test]
fn news_rewrite_is_linked_sentence_by_sentence() {
    let q = read("../../examples/rewrite.txt");
    let s = read("../../examples/article.txt");
    let other = read("../../examples/unrelated.txt");
    let r = Comparer::new().compare(
        &Document::from_text("rewrite", q.clone()),
        &[
            Document::from_text("unrelated", other),
            Document::from_text("article", s.clone()),
        ],
    );
    assert_eq!(r.sources[0].id, "article");
    assert!(r.sources[0].score > 0.4, "{}", r.sources[0].score);
    assert_eq!(r.sources[1].score, 0.0);
    assert!(r.sources[1].passages.is_empty());
    // one reused region: the whole rewrite body
    assert_eq!(r.sources[0].passages.len(), 1);
    assert!(r.sources[0].query_coverage > 0.9);

    let pairs = [
        (
            "Harbor City's council has signed off",
            "The Harbor City council voted 7-2",
        ),
        (
            "The vote on Tuesday was 7-2.",
            "The Harbor City council voted 7-2",
        ),
        (
            "It is the biggest public works effort",
            "the largest public works project",
        ),
        ("Under the plan, 3.2 miles", "The plan calls for rebuilding"),
        ("Four new pumping stations", "adding four pumping stations"),
        (
            "According to council members, roughly 11,000",
            "Council members said the work",
        ),
        (
            "Mayor Dana Okafor said the city",
            "\"We cannot keep cleaning up",
        ),
        (
            "Researchers at the Coastal Research",
            "Scientists at the Coastal",
        ),
        ("and in a January report", "They expect the rate of rise"),
        (
            "Funding will come from state grants",
            "The city will pay for the project",
        ),
        (
            "officials anticipate that construction",
            "Officials expect construction",
        ),
        ("Victor Hale, a councilman", "Councilman Victor Hale"),
        ("He wants the engineering studies", "Hale said he wanted"),
        ("Owners of local businesses", "Local business owners"),
        ("Maria Santos, whose seafood", "Maria Santos, who runs"),
        (
            "A public hearing on the construction",
            "The council will hold a public hearing",
        ),
    ];
    for (a, b) in pairs {
        assert_linked(&r, &q, &s, a, b);
    }
    // the added paragraph is not linked
    assert_unlinked(&r, &q, "Coastal cities around the country");
    assert_unlinked(&r, &q, "Experts say that early investment");
    // the dropped footer is not aligned
    let footer = char_pos(&s, "Reporting by Elena Marsh");
    for p in &r.sources[0].passages {
        assert!(p.source.1 <= footer, "footer aligned: {:?}", p.source);
    }
    assert!(link_coverage(&r) > 0.75, "{}", link_coverage(&r));
}

#[test]
fn reordered_paragraphs_are_found() {
    let q = read("tests/data/battery_rewrite.txt");
    let s = read("tests/data/battery_source.txt");
    let r = Comparer::new().compare(
        &Document::from_text("q", q.clone()),
        &[Document::from_text("s", s.clone())],
    );
    let pairs = [
        (
            "Brightwell Energy, a young company",
            "A Denver startup on Thursday",
        ),
        (
            "Rather than lithium and cobalt",
            "said its cells use table salt",
        ),
        (
            "According to CEO Priya Raman",
            "Chief executive Priya Raman",
        ),
        (
            "A New Mexico utility has signed on",
            "The first customer will be a utility",
        ),
        (
            "The company has secured $120 million",
            "Brightwell has raised $120 million",
        ),
        (
            "Next year it intends to open a plant",
            "It plans to open a factory",
        ),
        (
            "Because sodium cells hold less energy",
            "Sodium cells store less energy",
        ),
        (
            "For batteries parked beside a solar farm",
            "But weight matters far less",
        ),
    ];
    for (a, b) in pairs {
        assert_linked(&r, &q, &s, a, b);
    }
    let footer = char_pos(&s, "Subscribe to our newsletter");
    for p in &r.sources[0].passages {
        assert!(p.source.1 <= footer);
    }
}

#[test]
fn verbatim_copy_is_verbatim() {
    let s = read("../../examples/article.txt");
    let para: String = s.split("\n\n").nth(3).unwrap().to_string();
    let q = format!("An introduction of my own that says nothing about it.\n\n{para}\n\nA closing line of my own.");
    let r = Comparer::new().compare(
        &Document::from_text("q", q.clone()),
        &[Document::from_text("s", s.clone())],
    );
    let p = &r.sources[0].passages[0];
    assert_eq!(p.kind, retrace::PassageKind::Verbatim);
    let qs = char_pos(&q, &para);
    assert_eq!(p.query, retrace::CharSpan(qs, qs + para.chars().count()));
    let ss = char_pos(&s, &para);
    assert_eq!(p.source, retrace::CharSpan(ss, ss + para.chars().count()));
}

#[test]
fn light_edit_is_near_verbatim() {
    let s = "The committee approved the budget on Monday after a long debate. \
             Several members said the spending cuts went too far.";
    let q = "The committee approved the budget on Monday following a long debate. \
             Several members said that the spending cuts went too far.";
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    assert_eq!(
        r.sources[0].passages[0].kind,
        retrace::PassageKind::NearVerbatim
    );
}

#[test]
fn summary_is_summary() {
    let s = read("../../examples/article.txt");
    let q = "Harbor City's council approved a $48 million sea wall plan on Tuesday to rebuild 3.2 miles \
             of wall and add four pumping stations, protecting 11,000 homes; the state grants and a bond \
             measure will pay for it, construction starts in early summer, and councilman Victor Hale \
             called the cost estimate optimistic and wants an independent review of the engineering studies.";
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages;
    assert!(!p.is_empty());
    assert!(
        p.iter().any(|p| p.kind == retrace::PassageKind::Summary),
        "{p:#?}"
    );
}

#[test]
fn empty_texts_give_empty_reports() {
    let r = Comparer::new().compare(
        &Document::from_text("q", ""),
        &[Document::from_text("s", "Some text here.")],
    );
    assert_eq!(r.query.chars, 0);
    assert!(r.sources[0].passages.is_empty());
    let r = Comparer::new().compare(
        &Document::from_text("q", "Some text here."),
        &[Document::from_text("s", "")],
    );
    assert!(r.sources[0].passages.is_empty());
    let r = Comparer::new().compare(&Document::from_text("q", "Some text here."), &[]);
    assert!(r.sources.is_empty());
}

#[test]
fn offsets_are_characters_not_bytes() {
    let s = "Zoë Müller, the café’s owner, said the façade would be restored by June. Work starts soon.";
    let q = "Prefix “with” ümlauts. Zoë Müller, the café’s owner, said the façade would be restored by June.";
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages[0];
    let qc: Vec<char> = q.chars().collect();
    let got: String = qc[p.query.0..p.query.1].iter().collect();
    assert!(
        got.starts_with("Zoë Müller") && got.ends_with("by June."),
        "{got}"
    );
    let sc: Vec<char> = s.chars().collect();
    let got: String = sc[p.source.0..p.source.1].iter().collect();
    assert!(
        got.starts_with("Zoë Müller") && got.ends_with("by June."),
        "{got}"
    );
}

#[test]
fn html_source_offsets_point_into_extracted_text() {
    let html = read("../../examples/article.html");
    let q = read("../../examples/rewrite.txt");
    let src =
        Document::from_bytes("article.html", html.as_bytes(), Some(retrace::Format::Html)).unwrap();
    assert!(!src.text.contains("<p>"));
    assert!(!src.text.contains("Privacy | Terms"));
    assert!(!src.html_anchors.is_empty());
    let r = Comparer::new().compare(
        &Document::from_text("q", q.clone()),
        std::slice::from_ref(&src),
    );
    assert_linked(
        &r,
        &q,
        &src.text,
        "Victor Hale, a councilman",
        "Councilman Victor Hale",
    );
    // an anchor maps extracted-text offsets back into the HTML source
    let hp = char_pos(&src.text, "Councilman Victor Hale");
    let a = src
        .html_anchors
        .iter()
        .rev()
        .find(|a| a.text <= hp)
        .unwrap();
    let html_chars: Vec<char> = html.chars().collect();
    let at: String = html_chars[a.html + (hp - a.text)..][..22].iter().collect();
    assert_eq!(at, "Councilman Victor Hale");
}

#[test]
fn passage_edge_inside_a_long_sentence_follows_the_reused_part() {
    // only the second half of the source's first (long) sentence was reused
    let s = "The council met on a cold Tuesday evening in the old library hall, \
             where residents had queued for an hour to speak about parking fees, \
             school buses, noisy bars and the closure of the public swimming pool; \
             in the end the members voted seven to two to raise the flood barrier \
             along the eastern riverbank before the spring thaw. \
             Engineers warned that the current wall would fail in a major storm. \
             The project will cost about four million dollars over three years. \
             Work is expected to begin in March and finish before the summer of 2027.";
    // (in the rewrite, that clause is not the first sentence)
    let q = "The existing wall would fail during a major storm, engineers warned. \
             Members voted seven to two to raise the eastern riverbank flood barrier \
             ahead of the spring thaw. \
             The project is set to cost roughly four million dollars across three years. \
             Work should begin in March and end before the summer of 2027.";
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    let start = p[0].source.0;
    assert!(
        start >= char_pos(s, "swimming pool"),
        "source side should start near the reused clause, got {start}: {p:#?}"
    );
    assert!(start <= char_pos(s, "members voted"), "{p:#?}");
}

#[test]
fn extractive_summary_is_one_summary_passage() {
    // three sentences copied word for word from across the article, one after
    // the other: one condensed passage, not three unrelated copies
    let s = read("../../examples/article.txt");
    let q = "The Harbor City council voted 7-2 on Tuesday to approve a $48 million plan to raise \
             sea walls along the city's eastern waterfront, the largest public works project in \
             the port's history. Hale said he wanted an independent review of the engineering \
             studies before any money is spent. The council will hold a public hearing on April 3 \
             to discuss the construction schedule and the routes that trucks will use through the \
             historic district.";
    let r = Comparer::new().compare(
        &Document::from_text("q", q),
        &[Document::from_text("s", &s)],
    );
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].kind, retrace::PassageKind::Summary, "{p:#?}");
    assert_eq!(p[0].links.len(), 3, "{p:#?}");
}

#[test]
fn a_region_found_in_two_sources_goes_to_the_better_one() {
    let q = read("../../examples/rewrite.txt");
    let s = read("../../examples/article.txt");
    // a second source that quotes one paragraph of the article, reworded
    let other = "Weekly round-up. The city will fund the work with state grants and a bond \
                 measure voters passed in November, and officials hope to start building in \
                 early summer once the contracts are signed. In other news, the library \
                 reopens on Monday after a month of repairs to its roof and heating.";
    let plain = Comparer::new().compare(
        &Document::from_text("q", q.as_str()),
        &[Document::from_text("other", other)],
    );
    assert!(
        !plain.sources[0].passages.is_empty(),
        "alone, the second source shares a passage with the rewrite"
    );
    let both = Comparer::new().compare(
        &Document::from_text("q", q.as_str()),
        &[
            Document::from_text("article", s.as_str()),
            Document::from_text("other", other),
        ],
    );
    let by_id = |id: &str| both.sources.iter().find(|r| r.id == id).unwrap();
    assert!(!by_id("article").passages.is_empty());
    assert!(
        by_id("other").passages.is_empty(),
        "the region is credited to the article: {:#?}",
        by_id("other").passages
    );
    // an exact duplicate of the article keeps everything: a tie is no reason
    let dup = Comparer::new().compare(
        &Document::from_text("q", q.as_str()),
        &[
            Document::from_text("article", s.as_str()),
            Document::from_text("copy", s.as_str()),
        ],
    );
    assert_eq!(dup.sources[0].passages.len(), dup.sources[1].passages.len());
    assert!(!dup.sources[1].passages.is_empty());
}

#[test]
fn a_stray_match_far_off_loses_to_the_order_of_its_neighbours() {
    let s = "Market report. Prices rose sharply. Traders were surprised by the news.\n\n\
             The harbour authority published its annual review of shipping on Friday morning. \
             Container traffic through the eastern terminal fell by twelve percent last year. \
             After the strike, freight costs for local importers climbed quickly. \
             The authority expects volumes to recover once the new cranes arrive in April. \
             Its chairman said the port would hire two hundred workers before the summer.";
    let q = "On Friday morning the harbour authority released its yearly shipping review. \
             Last year container traffic through the eastern terminal dropped twelve percent. \
             Prices rose sharply for importers once the strike ended. \
             The authority predicts that volumes will recover when the new cranes arrive in April. \
             The port will hire two hundred workers before summer, its chairman said.";
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    assert_linked(
        &r,
        q,
        s,
        "Prices rose sharply for importers",
        "After the strike, freight costs",
    );
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].source.0 >= char_pos(s, "The harbour authority"),
        "the short sentence far off is not part of the passage: {p:#?}"
    );
}

#[test]
fn shuffled_words_across_sentence_breaks_are_found_by_word_windows() {
    // a careless automatic rewrite: words swapped for synonyms, phrases moved
    // around and the sentence breaks lost, so no suspect sentence lines up
    // with a source sentence, although the region keeps most of its words
    let s = "The museum opened a new wing devoted to maritime history on Saturday. \
             Visitors can see restored fishing boats, brass navigation instruments and \
             hand-drawn charts of the northern coast. The collection was donated by the \
             family of a retired harbour pilot who gathered it over forty years. \
             Admission to the wing is free for children under twelve during the first month. \
             Curators plan guided tours every weekend and a lecture series about lighthouse \
             keepers in the autumn. The old east gallery will close for repairs in January.";
    let q = "Our town has a busy calendar this season with markets and concerts on Fridays. \
             Restored fishing boats, navigation brass instruments and charts hand drawn of \
             the coast. Northern visitors can see the wing devoted to maritime. History new \
             museum opened Saturday, a retired harbour pilot. Family donated the collection \
             forty years gathered over it under twelve. Children free admission first month \
             during the wing guided tours. Curators every weekend plan lecture series in \
             autumn lighthouse keepers about. \
             Meanwhile the bakery on Elm Street is hiring two apprentices for the winter.";
    // the full aligner finds it...
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    // ...and so does the word-window stage on its own (sentence seeds off)
    let mut cfg = retrace::align::AlignConfig {
        seed_min: 2.0,
        summary_containment: 2.0,
        rescue: false,
        ..Default::default()
    };
    let r = Comparer::new()
        .with_align_config(cfg.clone())
        .compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    let (q0, q1) = (p[0].query.0, p[0].query.1);
    assert!(q0 >= char_pos(q, "Restored fishing"), "{p:#?}");
    assert!(q0 <= char_pos(q, "Restored fishing") + 10, "{p:#?}");
    assert!(q1 >= char_pos(q, "lighthouse keepers about"), "{p:#?}");
    assert!(q1 <= char_pos(q, "Meanwhile"), "{p:#?}");
    let (s0, s1) = (p[0].source.0, p[0].source.1);
    assert!(s0 <= char_pos(s, "Visitors can see"), "{p:#?}");
    assert!(s1 >= char_pos(s, "lighthouse"), "{p:#?}");
    assert!(s1 <= char_pos(s, "The old east gallery") + 10, "{p:#?}");
    // without the window stage nothing is found
    cfg.window_words = 0;
    let r = Comparer::new()
        .with_align_config(cfg)
        .compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    assert!(
        r.sources[0].passages.is_empty(),
        "{:#?}",
        r.sources[0].passages
    );
}

#[test]
fn a_rewrite_that_drops_most_words_is_found_though_shorter_than_its_source() {
    // a careless shortening: about half of the words of a 300-character
    // source stretch dropped, the rest kept in order, the sentence breaks
    // gone: the suspect side is shorter than `min_passage_chars`, the source
    // side is not
    let s = "The council approved the budget for the new library late on Tuesday. \
             Construction of the glass reading hall will begin in early spring. \
             The architects promised that the building would use solar panels and \
             rainwater tanks. Local schools will receive free study rooms on weekdays. \
             The mayor thanked volunteers who collected signatures for the project.";
    let q = "Tickets for the summer jazz festival went on sale this morning at noon. \
             Council approved budget new library Tuesday, construction glass reading hall \
             begin spring, architects promised building solar panels rainwater tanks. \
             The harbour ferry will run an extra evening service from June onwards.";
    let reused = &q[char_pos(q, "Council approved")..char_pos(q, "The harbour ferry")];
    assert!(reused.trim().chars().count() < 170);
    let r = Comparer::new().compare(&Document::from_text("q", q), &[Document::from_text("s", s)]);
    let p = &r.sources[0].passages;
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0].query.0 >= char_pos(q, "Council") - 2, "{p:#?}");
    assert!(p[0].query.1 <= char_pos(q, "The harbour ferry"), "{p:#?}");
    assert!(p[0].source.0 <= char_pos(s, "The council") + 4, "{p:#?}");
    assert!(p[0].source.1 >= char_pos(s, "rainwater tanks"), "{p:#?}");
    // the exception for condensed rewrites is what admits it when neither the
    // near-copy exception nor the relaxed rescue pass applies
    let only = |min_condensed_chars| retrace::align::AlignConfig {
        min_condensed_chars,
        strong_min: 2.0,
        rescue: false,
        ..Default::default()
    };
    let found = |cfg| {
        Comparer::new()
            .with_align_config(cfg)
            .compare(&Document::from_text("q", q), &[Document::from_text("s", s)])
            .sources[0]
            .passages
            .len()
    };
    assert_eq!(found(only(140)), 1);
    assert_eq!(found(only(0)), 0);
}

const BRIDGE: &str = "The river authority closed the old stone bridge on Monday after engineers \
    found deep cracks in two of its arches. Traffic from the northern villages now takes a \
    twelve kilometre detour through the industrial estate. Shop owners on the market square say \
    their takings have fallen by a third since the closure began.";

#[test]
fn a_weak_sentence_among_reordered_neighbours_is_linked() {
    // the rewrite tells the story backwards; "Officials reckon" keeps few
    // words of its source sentence, and its linked neighbours run against
    // the suspect's order, which plain neighbour support does not accept
    let s = format!(
        "{BRIDGE} The authority expects repairs to cost about four million euros and to last \
         until the end of next summer. A temporary footbridge for pedestrians and cyclists will \
         open beside the damaged span within three weeks."
    );
    let q = "Gardening tips for the autumn season were published by the botanical society last \
             week. Pedestrians and cyclists get a temporary footbridge beside the damaged span \
             within three weeks. Officials reckon the restoration will need roughly four million \
             euros and run until late next summer. Shop owners on the market square say takings \
             fell by a third since the closure. The river authority closed the old stone bridge on \
             Monday after engineers found cracks in its arches. The society also recommends \
             planting tulip bulbs before the first frost arrives.";
    let linked = |cfg: retrace::align::AlignConfig| {
        let r = Comparer::new().with_align_config(cfg).compare(
            &Document::from_text("q", q),
            &[Document::from_text("s", &s)],
        );
        let at = char_pos(q, "Officials reckon");
        r.sources[0]
            .passages
            .iter()
            .flat_map(|p| &p.links)
            .any(|l| l.query.0 <= at && at < l.query.1)
    };
    assert!(linked(Default::default()));
    assert!(!linked(retrace::align::AlignConfig {
        reorder_support_min: 2.0,
        ..Default::default()
    }));
}

#[test]
fn two_passages_of_one_source_in_reverse_order_are_not_one_summary() {
    // two paragraphs far apart in the source, reworded and placed in the
    // reverse order: the suspect side is much shorter than the source
    // stretch between them, which alone would read as a summary
    let filler: String = (0..14)
        .map(|k| {
            format!(
                "Paragraph {k} of the yearly report lists the spending of department number {k} \
                 in some detail. "
            )
        })
        .collect();
    let s = format!(
        "{BRIDGE}\n\n{filler}\n\nThe summer music festival will return to the castle gardens in \
         July with forty bands on three stages. Organisers have added a children's tent and a \
         second food court after complaints about long queues last year. Tickets go on sale next \
         Friday and a weekend pass will cost ninety euros, ten more than before."
    );
    let q = "Gardening tips for the autumn season were published by the botanical society last \
             week. The summer music festival comes back to the castle gardens this July, with forty \
             bands playing on three stages. After complaints about long queues last year, the \
             organisers added a second food court and a tent for children. Tickets are on sale \
             from next Friday; a weekend pass costs ninety euros, ten more than last time. On \
             Monday the river authority closed the old stone bridge because engineers had found \
             deep cracks in two arches. Traffic from the villages in the north now has to take a \
             twelve kilometre detour through the industrial estate. Shop owners on the market \
             square report that takings have fallen by a third since the closure began. The \
             society also recommends planting tulip bulbs before the first frost arrives.";
    let passages = |cfg: retrace::align::AlignConfig| {
        Comparer::new()
            .with_align_config(cfg)
            .compare(
                &Document::from_text("q", q),
                &[Document::from_text("s", &s)],
            )
            .sources[0]
            .passages
            .clone()
    };
    let p = passages(Default::default());
    assert_eq!(p.len(), 2, "{p:#?}");
    let festival = char_pos(&s, "The summer music");
    assert!(
        p[0].query.0 <= char_pos(q, "The summer music") + 2,
        "{p:#?}"
    );
    assert!(p[0].source.0 >= festival - 2, "{p:#?}");
    assert!(p[1].query.0 <= char_pos(q, "On Monday") + 2, "{p:#?}");
    assert!(p[1].source.1 <= char_pos(&s, "Paragraph 0"), "{p:#?}");
    // without the rule the two merge into one "summary" of the whole stretch
    let p = passages(retrace::align::AlignConfig {
        summary_split_ratio: 0.0,
        ..Default::default()
    });
    assert_eq!(p.len(), 1, "{p:#?}");
}
