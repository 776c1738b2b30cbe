//! One savepoint per top-level mutation field. On PostgreSQL the whole
//! request is one transaction (see `tenancy::ScopedConn`), and one failed
//! statement would abort it: each mutation field therefore runs inside
//! `SAVEPOINT`, released when it succeeds and rolled back when it fails, so
//! a failed mutation writes nothing and the fields after it still work.
//!
//! This is a wrapper around the mutation root rather than an async-graphql
//! extension: any schema extension makes async-graphql build a
//! `ResolveInfo` and run the extension chain for *every* field of every
//! query (measured at about 5 % of the server's CPU on the nested-list
//! benchmark), while the savepoints concern only the mutation root's own
//! fields, which async-graphql resolves one after another through
//! [`ContainerType::resolve_field`].

use std::borrow::Cow;

use async_graphql::{
    ContainerType, Context, ContextSelectionSet, ObjectType, OutputType, Positioned, ServerResult, Value,
    parser::types::Field, registry::Registry, resolver_utils::resolve_container_serial,
};

use crate::{error::AppError, scope::Scope};

const SAVEPOINT: &str = "SAVEPOINT hrms_mutation";
const RELEASE: &str = "RELEASE SAVEPOINT hrms_mutation";
const ROLLBACK: &str = "ROLLBACK TO SAVEPOINT hrms_mutation";

/// The mutation root `T`, with each of its fields run in a savepoint when
/// the request has a scope.
#[derive(Default)]
pub struct WithSavepoints<T>(pub T);

impl<T: ContainerType> ContainerType for WithSavepoints<T> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let Some(scope) = ctx.data_opt::<Scope>() else {
            return self.0.resolve_field(ctx).await;
        };
        let internal =
            |e: sea_orm::DbErr| async_graphql::Error::from(AppError::from(e)).into_server_error(ctx.item.pos);
        scope.db.savepoint_command(SAVEPOINT).await.map_err(internal)?;
        let result = self.0.resolve_field(ctx).await;
        let end = if result.is_ok() { RELEASE } else { ROLLBACK };
        scope.db.savepoint_command(end).await.map_err(internal)?;
        result
    }
}

impl<T: ContainerType> OutputType for WithSavepoints<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        resolve_container_serial(ctx, self).await
    }
}

impl<T: ObjectType> ObjectType for WithSavepoints<T> {}
