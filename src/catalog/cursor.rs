//! Opaque pagination cursors.
//!
//! A cursor is base64url of a small JSON object holding the *scope* it was made for (the
//! list, its effective order and its filter) and the keyset position of an item (its sort
//! value and id, as text). Decoding checks the scope, so a cursor used with another order or
//! filter is refused instead of silently skipping or repeating items. Cursors carry no
//! server state, so any instance of a scaled-out deployment accepts any other's cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;

#[derive(Serialize, Deserialize)]
struct CursorData {
    /// The list, order and filter the cursor belongs to.
    s: String,
    /// The sort key of the item, then its id.
    k: Vec<String>,
}

pub(crate) fn encode(scope: &str, key: Vec<String>) -> String {
    let data = CursorData {
        s: scope.to_owned(),
        k: key,
    };
    // Serializing a struct of strings cannot fail; an empty cursor would be refused on use.
    let json = serde_json::to_vec(&data).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// The key stored in `cursor`, if it is one of ours and was made for `scope`.
pub(crate) fn decode(cursor: &str, scope: &str) -> Result<Vec<String>, ValidationError> {
    let invalid = || ValidationError::new("after", "is not a cursor of this list");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if data.s != scope {
        return Err(ValidationError::new(
            "after",
            "was made for another order or filter; start again without `after`",
        ));
    }
    Ok(data.k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_its_key_in_its_own_scope() {
        let cursor = encode("a", vec!["x".into(), "y".into()]);
        assert_eq!(decode(&cursor, "a").unwrap(), vec!["x", "y"]);
    }

    #[test]
    fn a_cursor_is_refused_in_another_scope() {
        let cursor = encode("a", vec!["x".into()]);
        assert!(decode(&cursor, "b").is_err());
    }

    #[test]
    fn text_that_is_not_a_cursor_is_refused() {
        for raw in ["", "not base64!", "bm90IGpzb24", "e30"] {
            assert!(decode(raw, "a").is_err(), "{raw:?}");
        }
    }
}
