//! Objects answered in place: their selected fields one after another, the plain ones read
//! straight off the object.
//!
//! async-graphql resolves an object's selection by making a boxed future per field, running
//! each through the derived `resolve_field` (a match on the field's name, then the value's
//! `OutputType`), and merging the results into the response map. For `Software` and
//! `Release` most fields are values the object already holds, and a list of them answers
//! hundreds of such fields. [`Direct`] answers the same selection with the same values and
//! the same errors, without the per-field futures: a plain field is read by
//! [`PlainFields::plain_field`], any other field by the derived `resolve_field`, awaited in
//! place. `bench/profile.sh` counted what this saves at a third of the instructions swcat
//! spent beyond the baseline on `software(id)`, and half on `softwareList(first: 50)`.
//!
//! The items of a list answer the same selection, so the keys of their answer maps are hashed
//! once for the list (`Shape`) rather than once per item.
//!
//! Fragments on the object's own type, inline or spread, are followed in place, as
//! async-graphql follows them. Whatever this does not take on itself (custom directives,
//! fragments on another type) goes to async-graphql's own `resolve_container_serial`,
//! unchanged. `@skip` and `@include` are gone from the document by then (async-graphql
//! removes skipped selections before it runs one). The tests below compare both paths on a
//! type made for them and on every plain field of `Software` and `Release`;
//! `tests/api/answers.rs` compares plain selections with fragments on the real server.

use std::borrow::Cow;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_container_serial;
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
};

/// An object some of whose fields are values it holds.
pub trait PlainFields: ContainerType {
    /// The value of the field `name` when it is read off the object alone (no arguments, no
    /// loading), exactly as the derived resolver would answer it; `None` for every other
    /// field, which then resolves the general way.
    fn plain_field(&self, name: &str) -> Option<Value>;
}

impl<T: PlainFields + ?Sized> PlainFields for &T {
    fn plain_field(&self, name: &str) -> Option<Value> {
        T::plain_field(self, name)
    }
}

impl<T: PlainFields + ?Sized> PlainFields for Arc<T> {
    fn plain_field(&self, name: &str) -> Option<Value> {
        T::plain_field(self, name)
    }
}

/// `T`, answered in place: the same GraphQL type, with the same name and fields.
#[derive(Clone)]
pub struct Direct<T>(pub T);

impl<T: PlainFields + Send + Sync> OutputType for Direct<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        resolve_object(ctx, &self.0, None).await
    }
}

/// A list of `T`, each answered in place: the same GraphQL type as `Arc<[T]>`.
///
/// Its items are answered one after another. async-graphql's lists run theirs side by side
/// (through `FuturesUnordered` past 30 items), so a page of 100 releases asking for their
/// `software` had 99 of them queue on the load the first one started, each woken in turn;
/// one after another, the first loads and the others find it loaded.
pub struct DirectList<L>(pub L);

impl<L, T> OutputType for DirectList<L>
where
    L: Deref<Target = [T]> + Send + Sync,
    T: PlainFields + OutputType + Send + Sync,
{
    fn type_name() -> Cow<'static, str> {
        <Arc<[T]> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Arc<[T]> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Arc<[T]> as OutputType>::create_type_info(registry)
    }

    /// Each item in turn. Like async-graphql's lists, an item that fails fails the list,
    /// with the first such error; every item is answered first, so that the errors its
    /// nullable fields add are reported whichever item failed.
    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let mut items = Vec::with_capacity(self.0.len());
        let mut failed = None;
        // Every item answers the same selection: its keys are hashed once, not per item.
        let shape = if self.0.len() > 1 && fields_only(ctx) {
            Shape::of(ctx)
        } else {
            None
        };
        for (index, item) in self.0.iter().enumerate() {
            let ctx_item = ctx.with_index(index);
            match resolve_object(&ctx_item, item, shape.as_ref()).await {
                Ok(value) => items.push(value),
                Err(error) => {
                    failed.get_or_insert_with(|| ctx_item.set_error_path(error));
                }
            }
        }
        match failed {
            Some(error) => Err(error),
            None => Ok(Value::List(items)),
        }
    }
}

/// Whether every item of the selection is a field without custom directives: then the
/// selection is answered as it stands, with nothing to collect.
fn fields_only(ctx: &ContextSelectionSet<'_>) -> bool {
    ctx.item.node.items.iter().all(|selection| {
        matches!(&selection.node, Selection::Field(field) if field.node.directives.is_empty())
    })
}

/// Collects into `fields` the fields of `set`, in document order, with the fields of its
/// fragments on `type_name` (inline, or spread) in their place, as async-graphql collects
/// them. `false` when something needs async-graphql's own path: a custom directive, or a
/// fragment on another type or one the document does not define (validation refuses both,
/// and the general path says why).
///
/// Extensions' `resolve` hooks do not run around the fields answered here. Neither schema
/// has an extension with such a hook ([`super::gate::Gate`] hooks parsing, validation and
/// the whole request); one that needs to see every field must be installed together with a
/// check here (async-graphql does not let a resolver ask whether extensions are installed).
fn collect<'a>(
    ctx: &ContextSelectionSet<'a>,
    set: &'a SelectionSet,
    type_name: &str,
    fields: &mut Vec<&'a Positioned<Field>>,
) -> bool {
    set.items.iter().all(|selection| match &selection.node {
        Selection::Field(field) => {
            fields.push(field);
            field.node.directives.is_empty()
        }
        Selection::InlineFragment(fragment) => {
            let applies = fragment
                .node
                .type_condition
                .as_ref()
                .is_none_or(|condition| condition.node.on.node == type_name);
            applies
                && fragment.node.directives.is_empty()
                && collect(ctx, &fragment.node.selection_set.node, type_name, fields)
        }
        Selection::FragmentSpread(spread) => {
            let fragment = ctx.query_env.fragments.get(&spread.node.fragment_name.node);
            fragment.is_some_and(|fragment| {
                fragment.node.type_condition.node.on.node == type_name
                    && spread.node.directives.is_empty()
                    && fragment.node.directives.is_empty()
                    && collect(ctx, &fragment.node.selection_set.node, type_name, fields)
            })
        }
    })
}

/// The fields of a selection that [`fields_only`] holds for, in order.
fn plain_selection<'a>(
    ctx: &ContextSelectionSet<'a>,
) -> impl Iterator<Item = &'a Positioned<Field>> + use<'a> {
    ctx.item
        .node
        .items
        .iter()
        .filter_map(|selection| match &selection.node {
            Selection::Field(field) => Some(field),
            _ => None,
        })
}

/// The answer map of a selection of fields only, each under its own key, before any value is
/// in it: its keys in order, each null. Every item of a list answers the same selection, and
/// a copy of this map takes its keys without hashing them again, as building each item's map
/// key by key would (async-graphql's maps hash with SipHash: `bench/profile.sh` counted that
/// at 2 % of `software(id)` and more of the longer lists).
struct Shape(IndexMap<Name, Value>);

impl Shape {
    /// Failed fields are remembered in a `u64` (see [`answer_in_shape`]).
    const MAX_FIELDS: usize = 64;

    /// `None` when a key is asked twice (its answers merge, which [`answer`] does) or the
    /// selection is longer than [`Shape::MAX_FIELDS`].
    fn of(ctx: &ContextSelectionSet<'_>) -> Option<Self> {
        let count = ctx.item.node.items.len();
        if count > Self::MAX_FIELDS {
            return None;
        }
        let mut keys = IndexMap::with_capacity(count);
        for field in plain_selection(ctx) {
            let key = field.node.response_key().node.clone();
            if keys.insert(key, Value::Null).is_some() {
                return None;
            }
        }
        Some(Shape(keys))
    }
}

/// `object`'s selection, as async-graphql's `resolve_container_serial` answers it: fields in
/// the order asked; a field whose resolver fails is left out and its error added to the
/// response; an object with no field left is null. `shape`, when given, is that of this
/// selection, which must then be of fields only.
async fn resolve_object<T: PlainFields + Send + Sync>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
    shape: Option<&Shape>,
) -> ServerResult<Value> {
    let items = &ctx.item.node.items;
    if let Some(shape) = shape {
        return Ok(answer_in_shape(ctx, object, shape).await);
    }
    if fields_only(ctx) {
        // The common case, collected without a list of its own.
        return Ok(answer(ctx, object, plain_selection(ctx), items.len()).await);
    }
    let mut fields = Vec::with_capacity(items.len());
    let type_name = object.introspection_type_name();
    if !collect(ctx, &ctx.item.node, &type_name, &mut fields) {
        return resolve_container_serial(ctx, object).await;
    }
    let count = fields.len();
    Ok(answer(ctx, object, fields.into_iter(), count).await)
}

/// The answer to `fields` of `object`.
async fn answer<'a, T: PlainFields + Send + Sync>(
    ctx: &ContextSelectionSet<'a>,
    object: &T,
    fields: impl Iterator<Item = &'a Positioned<Field>>,
    count: usize,
) -> Value {
    let mut answer: IndexMap<Name, Value> = IndexMap::with_capacity(count);
    for field in fields {
        let value = match plain_value(object, field) {
            Some(value) => value,
            None => match resolved_value(ctx, object, field).await {
                Some(value) => value,
                None => continue,
            },
        };
        insert(&mut answer, field.node.response_key().node.clone(), value);
    }
    if answer.is_empty() {
        Value::Null
    } else {
        Value::Object(answer)
    }
}

/// What [`answer`] answers for a selection of fields only, each under its own key, written
/// into a copy of the selection's `shape`.
async fn answer_in_shape<T: PlainFields + Send + Sync>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
    shape: &Shape,
) -> Value {
    let mut answer = shape.0.clone();
    // Bit i: the field at i failed, and its key goes.
    let mut failed = 0u64;
    for (index, field) in plain_selection(ctx).enumerate() {
        let value = match plain_value(object, field) {
            Some(value) => value,
            None => match resolved_value(ctx, object, field).await {
                Some(value) => value,
                None => {
                    failed |= 1 << index;
                    continue;
                }
            },
        };
        if let Some((_, slot)) = answer.get_index_mut(index) {
            *slot = value;
        }
    }
    if failed != 0 {
        for index in (0..answer.len()).rev() {
            if failed & (1 << index) != 0 {
                answer.shift_remove_index(index);
            }
        }
    }
    if answer.is_empty() {
        Value::Null
    } else {
        Value::Object(answer)
    }
}

/// The value of `field` when `object` holds it (see [`PlainFields`]): answered without a
/// future of its own, which [`resolved_value`] is for the other fields.
fn plain_value<T: PlainFields>(object: &T, field: &Positioned<Field>) -> Option<Value> {
    let name = field.node.name.node.as_str();
    if name == "__typename" {
        Some(Value::String(object.introspection_type_name().into_owned()))
    } else if field.node.arguments.is_empty() {
        object.plain_field(name)
    } else {
        None
    }
}

/// The value of `field` of `object` from its derived resolver; `None` when that failed, its
/// error added to the response.
async fn resolved_value<T: PlainFields + Send + Sync>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
    field: &Positioned<Field>,
) -> Option<Value> {
    // Boxed, as async-graphql boxes every field: a related object's future holds this one's
    // in turn (a release's software, that software's releases).
    match boxed(object.resolve_field(&ctx.with_field(field))).await {
        Ok(value) => Some(value.unwrap_or_default()),
        Err(error) => {
            ctx.add_error(error);
            None
        }
    }
}

/// A field's future behind a pointer, its type erased.
fn boxed<'a>(
    future: impl Future<Output = ServerResult<Option<Value>>> + Send + 'a,
) -> Pin<Box<dyn Future<Output = ServerResult<Option<Value>>> + Send + 'a>> {
    Box::pin(future)
}

/// A field's value under its response key. A key asked twice (the same field, twice, as
/// validation ensures) merges its objects, as async-graphql merges them.
fn insert(target: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    use async_graphql::indexmap::map::Entry;
    match target.entry(key) {
        Entry::Vacant(vacant) => {
            vacant.insert(value);
        }
        Entry::Occupied(mut occupied) => match (occupied.get_mut(), value) {
            (Value::Object(known), Value::Object(more)) => {
                for (key, value) in more {
                    insert(known, key, value);
                }
            }
            (Value::List(known), Value::List(more)) => {
                for (known, more) in known.iter_mut().zip(more) {
                    if let (Value::Object(known), Value::Object(more)) = (known, more) {
                        for (key, value) in more {
                            insert(known, key, value);
                        }
                    }
                }
            }
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{
        ComplexObject, EmptyMutation, EmptySubscription, Object, Result, Schema, SimpleObject,
    };

    use super::*;

    /// A type made to compare both paths: plain fields (one nullable), a field with an
    /// argument, fields that fail, related objects.
    #[derive(SimpleObject, Clone)]
    #[graphql(complex, serial)]
    struct Thing {
        id: i32,
        name: String,
        note: Option<String>,
    }

    impl PlainFields for Thing {
        fn plain_field(&self, name: &str) -> Option<Value> {
            Some(match name {
                "id" => Value::from(self.id),
                "name" => Value::String(self.name.clone()),
                "note" => self.note.clone().map_or(Value::Null, Value::String),
                _ => return None,
            })
        }
    }

    fn thing(id: i32) -> Thing {
        Thing {
            id,
            name: format!("thing {id}"),
            note: (id % 2 == 1).then(|| format!("note {id}")),
        }
    }

    #[ComplexObject]
    impl Thing {
        async fn twice(&self, n: i32) -> i32 {
            n * 2
        }

        async fn fails(&self) -> Result<i32> {
            Err("this field fails".into())
        }

        async fn maybe(&self) -> Result<Option<i32>> {
            Err("this one fails too".into())
        }

        async fn child(&self) -> Direct<Thing> {
            Direct(thing(self.id + 1))
        }

        async fn children(&self) -> DirectList<Vec<Thing>> {
            DirectList(vec![thing(self.id + 1), thing(self.id + 2)])
        }
    }

    struct Query;

    #[Object]
    impl Query {
        async fn direct(&self) -> Direct<Thing> {
            Direct(thing(1))
        }

        async fn general(&self) -> Thing {
            thing(1)
        }

        async fn direct_list(&self) -> DirectList<Vec<Thing>> {
            DirectList(vec![thing(1), thing(2)])
        }

        async fn general_list(&self) -> Vec<Thing> {
            vec![thing(1), thing(2)]
        }
    }

    /// The answer text of `root` and its errors (message, and path below the root), for
    /// `query` in which `ROOT` stands for the root field.
    async fn answer_of(query: &str, root: &str) -> (String, Vec<(String, String)>) {
        let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
        let response = schema.execute(query.replace("ROOT", root)).await;
        let Value::Object(data) = &response.data else {
            panic!("no data: {:?}", response.errors);
        };
        let text = serde_json::to_string(&data[root]).unwrap();
        let errors = response
            .errors
            .iter()
            .map(|error| {
                let below = serde_json::to_string(&error.path[1..]).unwrap();
                (error.message.clone(), below)
            })
            .collect();
        (text, errors)
    }

    #[tokio::test]
    async fn objects_answer_as_async_graphql_answers_them_with_fragments_and_errors() {
        let selections = [
            "__typename id name note",
            // Aliases, and a field asked twice under one key.
            "a: name name a: name id",
            // Fragments spread and inline, with and without a type condition.
            "...F id ... on Thing { note } ... { name }",
            "twice(n: 3) fails maybe name",
            // Fields that fail first, between and last, around plain ones.
            "fails __typename id maybe name note fails2: fails",
            // A related object asked twice: its answers merge.
            "child { id name ...F } child { note } id",
            "children { id note ... on Thing { twice(n: 1) } } children { name }",
        ];
        for selection in selections {
            let fragment = "fragment F on Thing { name twice(n: 2) }";
            let query = if selection.contains("...F") {
                format!("{{ ROOT {{ {selection} }} }} {fragment}")
            } else {
                format!("{{ ROOT {{ {selection} }} }}")
            };
            let direct = answer_of(&query, "direct").await;
            let general = answer_of(&query, "general").await;
            assert_eq!(direct, general, "{selection}");
            let direct = answer_of(&query, "directList").await;
            let general = answer_of(&query, "generalList").await;
            assert_eq!(direct, general, "{selection} (lists)");
        }
    }

    /// The catalog's own types, read without a database: every field their
    /// `PlainFields` answers must be answered as their derived resolvers answer it.
    mod catalog {
        use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Value};
        use chrono::NaiveDate;
        use uuid::Uuid;

        use super::super::{Direct, PlainFields};
        use crate::graphql::release::Release;
        use crate::graphql::software::Software;

        fn software(named: bool) -> Software {
            Software::from(entity::software::Model {
                software_id: Uuid::from_u128(7),
                display_name: "Caf\u{e9} \"quoted\"".to_owned(),
                maintainer_name: named.then(|| "Ada".to_owned()),
                maintainer_email: "ada@example.com".to_owned(),
            })
        }

        fn release() -> Release {
            Release::from(entity::release::Model {
                release_id: Uuid::from_u128(8),
                version: "1.0.0-rc.1".to_owned(),
                release_date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
                software_id: Uuid::from_u128(7),
            })
        }

        struct Query;

        #[Object]
        impl Query {
            async fn direct_software(&self, named: bool) -> Direct<Software> {
                Direct(software(named))
            }

            async fn general_software(&self, named: bool) -> Software {
                software(named)
            }

            async fn direct_release(&self) -> Direct<Release> {
                Direct(release())
            }

            async fn general_release(&self) -> Release {
                release()
            }
        }

        /// The fields of `type_name` that `object` answers itself.
        async fn plain_fields_of(
            schema: &Schema<Query, EmptyMutation, EmptySubscription>,
            type_name: &str,
            object: &impl PlainFields,
        ) -> Vec<String> {
            let query = format!("{{ __type(name: \"{type_name}\") {{ fields {{ name }} }} }}");
            let response = schema.execute(query).await;
            let data = response.data.into_json().unwrap();
            data["__type"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|field| field["name"].as_str().unwrap().to_owned())
                .filter(|name| object.plain_field(name).is_some())
                .collect()
        }

        async fn both_ways(
            schema: &Schema<Query, EmptyMutation, EmptySubscription>,
            direct: &str,
            general: &str,
            fields: &[String],
        ) {
            let selection = format!("__typename {}", fields.join(" "));
            let mut answers = Vec::new();
            for root in [direct, general] {
                let response = schema
                    .execute(format!("{{ root: {root} {{ {selection} }} }}"))
                    .await;
                assert!(response.errors.is_empty(), "{:?}", response.errors);
                let Value::Object(data) = response.data else {
                    panic!("no data");
                };
                answers.push(serde_json::to_string(&data["root"]).unwrap());
            }
            assert_eq!(answers[0], answers[1]);
        }

        #[tokio::test]
        async fn every_plain_field_of_software_and_release_is_answered_as_its_resolver_does() {
            let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
            let software_fields = plain_fields_of(&schema, "Software", &software(true)).await;
            assert_eq!(
                software_fields,
                ["id", "displayName", "maintainerName", "maintainerEmail"]
            );
            for named in ["true", "false"] {
                both_ways(
                    &schema,
                    &format!("directSoftware(named: {named})"),
                    &format!("generalSoftware(named: {named})"),
                    &software_fields,
                )
                .await;
            }
            let release_fields = plain_fields_of(&schema, "Release", &release()).await;
            assert_eq!(release_fields, ["id", "version", "releaseDate"]);
            both_ways(&schema, "directRelease", "generalRelease", &release_fields).await;
        }
    }
}
