//! Open311 answers in both of its formats from one tree: JSON (arrays at the top for lists)
//! and XML (a root element, list items in elements of their own name), with the spec's error
//! form `[{code, description}]`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A value of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Number(f64),
    Int(i64),
    Bool(bool),
    Null,
    Object(Vec<(&'static str, Node)>),
    /// A list whose items are XML elements named by the first field.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Node {
        s.map_or(Node::Null, |s| Node::Text(s.into()))
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Text(s) => Value::String(s.clone()),
            Node::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Node::Int(n) => Value::from(*n),
            Node::Bool(b) => Value::Bool(*b),
            Node::Null => Value::Null,
            Node::Object(fields) => Value::Object(fields.iter().map(|(k, v)| ((*k).to_owned(), v.to_json())).collect()),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
        }
    }

    fn write_xml(&self, name: &str, out: &mut String) {
        out.push('<');
        out.push_str(name);
        out.push('>');
        match self {
            Node::Text(s) => out.push_str(&escape(s)),
            Node::Number(n) => out.push_str(&n.to_string()),
            Node::Int(n) => out.push_str(&n.to_string()),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Null => {}
            Node::Object(fields) => {
                for (k, v) in fields {
                    v.write_xml(k, out);
                }
            }
            Node::List(item, items) => {
                for v in items {
                    v.write_xml(item, out);
                }
            }
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }

    /// The XML document with `root` as its root element.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.write_xml(root, &mut out);
        out.push('\n');
        out
    }
}

use hromada_web::export::xml_escape as escape;

/// The format a resource's extension asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `services.json` into `("services", Json)`; an unknown extension is `None`.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (name, ext) = file.rsplit_once('.')?;
        let format = match ext {
            "json" => Format::Json,
            "xml" => Format::Xml,
            _ => return None,
        };
        Some((name, format))
    }

    /// The answer in this format; `root` names the XML root element.
    pub fn respond(self, status: StatusCode, root: &str, body: &Node) -> Response {
        let (text, content_type) = match self {
            Format::Json => (body.to_json().to_string(), "application/json; charset=utf-8"),
            Format::Xml => (body.to_xml(root), "text/xml; charset=utf-8"),
        };
        let mut response = (status, text).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    }
}

/// An error as the spec gives it: `[{code, description}]` with the HTTP status as the code.
#[derive(Debug, Clone, PartialEq)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
}

impl Open311Error {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Self { status, description: description.into() }
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }

    pub fn respond(&self, format: Format) -> Response {
        let error = Node::Object(vec![
            ("code", Node::Int(i64::from(self.status.as_u16()))),
            ("description", Node::text(self.description.clone())),
        ]);
        format.respond(self.status, "errors", &Node::List("error", vec![error]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
        Node::List(
            "service",
            vec![Node::Object(vec![
                ("service_code", Node::text("pothole")),
                ("service_name", Node::text("Яма & вибоїна <дорога>")),
                ("metadata", Node::Bool(false)),
                ("lat", Node::Number(50.45)),
                ("group", Node::Null),
            ])],
        )
    }

    #[test]
    fn lists_are_json_arrays_and_xml_elements_of_their_items() {
        assert_eq!(
            sample().to_json(),
            serde_json::json!([{ "service_code": "pothole", "service_name": "Яма & вибоїна <дорога>", "metadata": false, "lat": 50.45, "group": null }])
        );
        assert_eq!(
            sample().to_xml("services"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<services><service><service_code>pothole</service_code>\
             <service_name>Яма &amp; вибоїна &lt;дорога&gt;</service_name><metadata>false</metadata><lat>50.45</lat>\
             <group></group></service></services>\n"
        );
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(Format::split("services.json"), Some(("services", Format::Json)));
        assert_eq!(Format::split("12.xml"), Some(("12", Format::Xml)));
        assert_eq!(Format::split("services.csv"), None);
        assert_eq!(Format::split("services"), None);
        assert_eq!(escape("a\u{1}b"), "ab");
    }
}
