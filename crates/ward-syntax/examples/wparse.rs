use ward_diagnostics::{render_terminal, ColorChoice, FileId, SourceFile, SourceMap};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut map = SourceMap::new();
    map.add(SourceFile::new(path.clone(), None, text.clone()));
    let p = ward_syntax::parse(&text, FileId(0));
    if std::env::args().nth(2).as_deref() == Some("ast") {
        println!("{:#?}", p.ast.items);
    }
    for i in &p.ast.items {
        match i {
            ward_syntax::ast::Item::Decl(d) => println!(
                "decl {:?} {} props={}",
                d.kind,
                d.name.name,
                d.body.properties.len()
            ),
            ward_syntax::ast::Item::Use(u) => println!("use {:?}", u.span),
        }
    }
    print!("{}", render_terminal(&map, &p.errors, ColorChoice::Never));
}
