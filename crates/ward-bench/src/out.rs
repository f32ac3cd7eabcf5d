//! The generated files: declarations are spread over the files in
//! contiguous slices, so related declarations (a component and its
//! outgoing flows) tend to share a file, as in a hand-written model.

pub struct Files {
    texts: Vec<String>,
}

impl Files {
    pub fn new(count: usize) -> Files {
        Files {
            texts: vec![String::new(); count.max(1)],
        }
    }

    /// The file holding item `index` of `total` items of one sort.
    pub fn slot(&mut self, index: usize, total: usize) -> &mut String {
        let file = index * self.texts.len() / total.max(1);
        &mut self.texts[file]
    }

    /// The first file (system and `use` declarations).
    pub fn first(&mut self) -> &mut String {
        &mut self.texts[0]
    }

    pub fn finish(self) -> Vec<(String, String)> {
        self.texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| (file_name(i), text))
            .collect()
    }
}

/// `system.ward` for the first file, `part-0001.ward` ... for the others;
/// byte order of the names is the file order.
fn file_name(index: usize) -> String {
    if index == 0 {
        "system.ward".to_string()
    } else {
        format!("part-{index:04}.ward")
    }
}
