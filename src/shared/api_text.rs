//! Text as the API returns it, put in a model: the API's empty string is an unset attribute.

use tfplug::Attr;

/// `text` as an attribute: null when the API left it empty.
pub fn attr(text: &str) -> Attr<String> {
    if text.is_empty() {
        Attr::Null
    } else {
        Attr::known(text)
    }
}
