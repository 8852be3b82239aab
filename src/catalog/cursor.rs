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

use uuid::Uuid;

use crate::domain::ValidationError;

#[derive(Serialize, Deserialize)]
struct CursorData {
    /// The list, order and filter the cursor belongs to.
    s: String,
    /// The sort key of the item, then its id.
    k: Vec<String>,
}

/// The cursor of the item at keyset position (`sort`, `id`) in the list `scope`.
pub(crate) fn encode(scope: &str, sort: String, id: Uuid) -> String {
    let data = CursorData {
        s: scope.to_owned(),
        k: vec![sort, id.to_string()],
    };
    // Serializing a struct of strings cannot fail; an empty cursor would be refused on use.
    let json = serde_json::to_vec(&data).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// The keyset position (sort value as text, id) in `cursor`, if it is one of ours and was
/// made for `scope`.
pub(crate) fn decode(cursor: &str, scope: &str) -> Result<(String, Uuid), ValidationError> {
    let invalid = || ValidationError::new("after", "is not a cursor of this list");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if data.s != scope {
        return Err(ValidationError::new(
            "after",
            "was made for another order or filter; start again without `after`",
        ));
    }
    let [sort, id] = <[String; 2]>::try_from(data.k).map_err(|_| invalid())?;
    let id = Uuid::parse_str(&id).map_err(|_| invalid())?;
    Ok((sort, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_its_position_in_its_own_scope() {
        let id = Uuid::new_v4();
        let cursor = encode("a", "x".into(), id);
        assert_eq!(decode(&cursor, "a").unwrap(), ("x".to_owned(), id));
    }

    #[test]
    fn a_cursor_is_refused_in_another_scope() {
        let cursor = encode("a", "x".into(), Uuid::new_v4());
        assert!(decode(&cursor, "b").is_err());
    }

    #[test]
    fn text_that_is_not_a_cursor_is_refused() {
        // Also well-formed JSON of ours whose key is not (text, UUID): {"s":"a","k":["x"]}.
        for raw in [
            "",
            "not base64!",
            "bm90IGpzb24",
            "e30",
            "eyJzIjoiYSIsImsiOlsieCJdfQ",
        ] {
            assert!(decode(raw, "a").is_err(), "{raw:?}");
        }
    }
}
