use crate::markdown::test_support::render;

#[test]
fn smoke() {
    for md in [
        "> [!TIP] Exam tip\n> Body *here*.\n",
        "> [!tip]- Folded `code` title\n>\n> - a\n> - b\n",
        "> [!NOTE]\n",
        "> [!NOTE\n> x\n",
        "> [!FOO] x\n> body\n",
        "## H\n\n> [!MNEMONIC] Cool People Stay\n> - **C**ost\n> - **P**erf\n> - **X**ecurity\n",
        "> [!NOTE] Outer\n> > [!WARNING]\n> > inner\n",
    ] {
        let note = render(md);
        println!(
            "{md}---\n{}\n{:?}\n{:#?}\n=====",
            note.html, note.diagnostics, note.callouts
        );
    }
}
