//! A small XML writer, enough for the LSU file: elements with attributes in the order
//! given, text children, two-space indentation. Everything that is not markup goes
//! through [`escape`], so a pupil's name or an appréciation cannot break the file.
//! No dependency of the tree writes XML; this is short enough to own and test.

/// An element: its name, its attributes in the order written, its children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element {
            name: name.to_string(),
            ..Element::default()
        }
    }

    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Element {
        self.attributes.push((name.to_string(), value.into()));
        self
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    pub fn children(mut self, children: impl IntoIterator<Item = Element>) -> Element {
        self.children
            .extend(children.into_iter().map(Node::Element));
        self
    }

    /// An element whose only content is `text` (`<appreciation>…</appreciation>`).
    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The whole document: the declaration, then this element as its root.
    pub fn to_document(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        let indent = "  ".repeat(depth);
        out.push_str(&indent);
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attributes {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            out.push_str(&escape(value));
            out.push('"');
        }
        match self.children.as_slice() {
            [] => out.push_str("/>\n"),
            // A text-only element stays on its line: no whitespace enters the text.
            [Node::Text(text)] => {
                out.push('>');
                out.push_str(&escape(text));
                out.push_str("</");
                out.push_str(&self.name);
                out.push_str(">\n");
            }
            children => {
                out.push_str(">\n");
                for child in children {
                    match child {
                        Node::Element(e) => e.write(out, depth + 1),
                        Node::Text(text) => {
                            out.push_str(&"  ".repeat(depth + 1));
                            out.push_str(&escape(text));
                            out.push('\n');
                        }
                    }
                }
                out.push_str(&indent);
                out.push_str("</");
                out.push_str(&self.name);
                out.push_str(">\n");
            }
        }
    }
}

/// Text or an attribute's value, escaped for XML 1.0: the five special characters, the
/// line ends kept as character references inside attributes (so they survive attribute
/// normalisation), and the control characters XML 1.0 forbids dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Reads back a document this writer wrote (elements, attributes in double quotes, text,
/// the entities [`escape`] makes): enough to check the file's structure in the tests
/// and before a download, not a general XML parser.
pub fn parse(document: &str) -> Result<Element, String> {
    let body = match document.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map(|(_, b)| b).ok_or("déclaration")?,
        None => document,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut rest = body;
    let mut root = None;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if !text.trim().is_empty() {
            let parent = stack.last_mut().ok_or("texte hors de la racine")?;
            parent.children.push(Node::Text(unescape(text.trim())));
        }
        let close = rest[open..].find('>').ok_or("balise non fermée")? + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let done = stack.pop().ok_or("fermeture sans ouverture")?;
            if done.name != name.trim() {
                return Err(format!("{} fermé par {name}", done.name));
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Element(done)),
                None => root = Some(done),
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut e = Element::new(name);
        while let Some((key, after)) = attrs.split_once("=\"") {
            let (value, after) = after.split_once('"').ok_or("attribut non fermé")?;
            e.attributes.push((key.trim().to_string(), unescape(value)));
            attrs = after;
        }
        if empty {
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Element(e)),
                None => root = Some(e),
            }
        } else {
            stack.push(e);
        }
    }
    if !stack.is_empty() {
        return Err("éléments non fermés".into());
    }
    root.ok_or_else(|| "document vide".into())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&#9;", "\t")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(
            escape(r#"Tom & Jerry <"l'école"> "#),
            "Tom &amp; Jerry &lt;&quot;l&apos;école&quot;&gt; "
        );
        assert_eq!(escape("a\nb\u{1}c\u{FFFF}"), "a&#10;bc");
        assert_eq!(escape("Zoé ÉLÈVE œ"), "Zoé ÉLÈVE œ");
    }

    #[test]
    fn a_document_is_indented_and_its_values_escaped() {
        let doc = Element::new("racine")
            .attr("nom", "D'Artagnan & \"fils\"")
            .child(Element::new("vide").attr("id", "A1"))
            .child(Element::new("texte").text("1 < 2\net 3 > 2"))
            .to_document();
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <racine nom=\"D&apos;Artagnan &amp; &quot;fils&quot;\">\n  \
             <vide id=\"A1\"/>\n  \
             <texte>1 &lt; 2&#10;et 3 &gt; 2</texte>\n\
             </racine>\n"
        );
    }

    #[test]
    fn the_same_tree_writes_the_same_bytes() {
        let tree = || {
            Element::new("a")
                .attr("z", "1")
                .attr("b", "2")
                .children((0..3).map(|n| Element::new("c").attr("n", n.to_string())))
        };
        assert_eq!(tree().to_document(), tree().to_document());
        // Attributes keep the order they were given in, not an alphabetical one.
        assert!(tree().to_document().contains("<a z=\"1\" b=\"2\">"));
        assert_eq!(tree().elements().count(), 3);
        assert_eq!(tree().attribute("b"), Some("2"));
    }

    #[test]
    fn a_written_document_reads_back_the_same() {
        let tree = Element::new("lsun-bilans")
            .attr("schemaVersion", "1.0")
            .child(Element::new("entete").child(Element::new("editeur").text("A & <B>\nC")))
            .child(Element::new("donnees").attr("id", "l'\"x\""));
        assert_eq!(parse(&tree.to_document()), Ok(tree));
        assert!(parse("<a><b></a>").is_err());
    }
}
