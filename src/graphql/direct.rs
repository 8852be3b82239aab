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
//! Whatever this does not take on itself (fragments, custom directives) goes to
//! async-graphql's own `resolve_container_serial`, unchanged. `@skip` and `@include` are gone
//! from the document by then (async-graphql removes skipped selections before it runs one).
//! `tests/api/answers.rs` compares both paths, field by field.

use std::borrow::Cow;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection};
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
        resolve_object(ctx, &self.0).await
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
        for (index, item) in self.0.iter().enumerate() {
            let ctx_item = ctx.with_index(index);
            match resolve_object(&ctx_item, item).await {
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

/// Whether this module answers the selection itself: fields only, without custom directives
/// (fragments and directives go the general way).
///
/// Extensions' `resolve` hooks do not run around the fields answered here. Neither schema
/// has an extension with such a hook ([`super::gate::Gate`] hooks parsing, validation and
/// the whole request); one that needs to see every field must be installed together with a
/// check here (async-graphql does not let a resolver ask whether extensions are installed).
fn fields_only(ctx: &ContextSelectionSet<'_>) -> bool {
    ctx.item.node.items.iter().all(|selection| {
        matches!(&selection.node, Selection::Field(field) if field.node.directives.is_empty())
    })
}

/// `object`'s selection, as async-graphql's `resolve_container_serial` answers it: fields in
/// the order asked; a field whose resolver fails is left out and its error added to the
/// response; an object with no field left is null.
async fn resolve_object<T: PlainFields + Send + Sync>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
) -> ServerResult<Value> {
    if !fields_only(ctx) {
        return resolve_container_serial(ctx, object).await;
    }
    let items = &ctx.item.node.items;
    let mut answer: IndexMap<Name, Value> = IndexMap::with_capacity(items.len());
    let fields = items.iter().filter_map(|selection| match &selection.node {
        Selection::Field(field) => Some(field),
        _ => None,
    });
    for field in fields {
        let name = field.node.name.node.as_str();
        let plain = if name == "__typename" {
            Some(Value::String(object.introspection_type_name().into_owned()))
        } else if field.node.arguments.is_empty() {
            object.plain_field(name)
        } else {
            None
        };
        let value = match plain {
            Some(value) => value,
            // Boxed, as async-graphql boxes every field: a related object's future holds
            // this one's in turn (a release's software, that software's releases).
            None => match boxed(object.resolve_field(&ctx.with_field(field))).await {
                Ok(value) => value.unwrap_or_default(),
                Err(error) => {
                    ctx.add_error(error);
                    continue;
                }
            },
        };
        insert(&mut answer, field.node.response_key().node.clone(), value);
    }
    Ok(if answer.is_empty() {
        Value::Null
    } else {
        Value::Object(answer)
    })
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
