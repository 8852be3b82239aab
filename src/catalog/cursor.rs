//! Opaque pagination cursors.
//!
//! A cursor is base64url of a small JSON object holding the *scope* it was made for (the
//! list, its effective order and its filter) and the keyset position of an item (its sort
//! value and id, as text). Decoding checks the scope, so a cursor used with another order or
//! filter is refused instead of silently skipping or repeating items. Cursors carry no
//! server state, so any instance of a scaled-out deployment accepts any other's cursors.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
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

/// [`CursorData`] as it is written: the same JSON, from borrowed text.
#[derive(Serialize)]
struct CursorText<'a> {
    s: &'a str,
    k: [&'a str; 2],
}

/// The cursor of the item at keyset position (`sort`, `id`) in the list `scope`.
pub(crate) fn encode(scope: &str, sort: &str, id: Uuid) -> String {
    let mut buffer = Uuid::encode_buffer();
    let id = id.hyphenated().encode_lower(&mut buffer);
    let data = CursorText {
        s: scope,
        k: [sort, id],
    };
    // Serializing a struct of strings cannot fail; an empty cursor would be refused on use.
    let json = serde_json::to_vec(&data).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// An item's sort value, as its list sorts it.
#[derive(Debug, Clone)]
pub enum SortKey {
    Text(String),
    Date(NaiveDate),
}

/// Where an item is in its list: what its cursor is made of. The cursor itself is only
/// written when a client asks for it: most pages are read without their cursors, and
/// writing one for every item was most of the work of reading a page of 100.
#[derive(Debug, Clone)]
pub struct Position {
    /// The list, order and filter (see [`encode`]), shared by the items of a page.
    scope: Arc<str>,
    sort: SortKey,
    id: Uuid,
}

impl Position {
    pub(crate) fn new(scope: Arc<str>, sort: SortKey, id: Uuid) -> Self {
        Self { scope, sort, id }
    }

    /// The cursor that points just past this item.
    pub fn cursor(&self) -> String {
        match &self.sort {
            SortKey::Text(text) => encode(&self.scope, text, self.id),
            SortKey::Date(date) => encode(&self.scope, &date.to_string(), self.id),
        }
    }
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
        let cursor = encode("a", "x", id);
        assert_eq!(decode(&cursor, "a").unwrap(), ("x".to_owned(), id));
    }

    #[test]
    fn a_cursor_is_written_as_before_positions_were_kept() {
        // Cursors held by clients across an upgrade must still decode: the same JSON.
        let id = Uuid::new_v4();
        let old = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&CursorData {
                s: "a".into(),
                k: vec!["2024-01-31".into(), id.to_string()],
            })
            .unwrap(),
        );
        let date = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let position = Position::new("a".into(), SortKey::Date(date), id);
        assert_eq!(position.cursor(), old);
    }

    #[test]
    fn a_cursor_is_refused_in_another_scope() {
        let cursor = encode("a", "x", Uuid::new_v4());
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
